package io.tributary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.RequestIds;
import java.io.IOException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Tomcat refuses some requests before any servlet or filter sees them (a %00 or an encoded slash in
 * the path) and answers those with its own HTML page. This puts a valve in its place that answers in
 * the API's error shape, with a request id like every other response.
 */
@Component
public class ContainerErrorPages implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final ObjectMapper mapper;

    public ContainerErrorPages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** After Spring Boot's own customizer, which adds the plain (HTML) valve this one replaces. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            StandardHost host = (StandardHost) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new JsonErrorReportValve(mapper));
            // The host adds a valve of this class when it starts unless it finds one: this one, then.
            host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
        });
    }

    private static final class JsonErrorReportValve extends ErrorReportValve {

        private final ObjectMapper mapper;

        JsonErrorReportValve(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String requestId = RequestIds.of(request);
            if (requestId == null) {
                requestId = RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
                response.setHeader(RequestIds.HEADER, requestId);
            }
            try {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                HttpStatus status = HttpStatus.resolve(response.getStatus());
                mapper.writeValue(response.getOutputStream(),
                        ApiErrorController.of(status == null ? HttpStatus.BAD_REQUEST : status, requestId));
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response cannot take a body: nothing more to tell it.
            }
        }
    }
}
