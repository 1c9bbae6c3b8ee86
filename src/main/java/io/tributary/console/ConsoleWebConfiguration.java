package io.tributary.console;

import io.tributary.workspace.WorkspaceRepository;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    private final WorkspaceRepository workspaces;

    ConsoleWebConfiguration(WorkspaceRepository workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ConsoleHeadersInterceptor()).addPathPatterns(ConsolePaths.ROOT, ConsolePaths.ROOT + "/**")
                .excludePathPatterns(ConsolePaths.ASSETS);
        // CSRF first: a forged sign-in or sign-out is refused before anything else looks at the session.
        registry.addInterceptor(new CsrfInterceptor()).addPathPatterns(ConsolePaths.ROOT, ConsolePaths.ROOT + "/**");
        registry.addInterceptor(new SignedInInterceptor(workspaces))
                .addPathPatterns(ConsolePaths.ROOT, ConsolePaths.ROOT + "/**")
                .excludePathPatterns(ConsolePaths.LOGIN, ConsolePaths.ASSETS);
    }
}
