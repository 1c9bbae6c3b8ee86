package io.tributary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.common.LogContext;
import io.tributary.common.RequestIds;
import io.tributary.stripe.StripeProperties;
import io.tributary.stripe.StripeWebhookReceiver;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * POST /webhooks/stripe/{integration_id}, authenticated by the Stripe signature, not an API key.
 * A plain servlet rather than a controller: the body must reach the verifier as the exact bytes
 * Stripe signed, whatever the content type, and this is the hottest path of the app, so it skips
 * the MVC machinery it does not need. The servlet filters (request id, body limit) still apply.
 */
public class StripeWebhookServlet extends HttpServlet {

    static final String PATH = "/webhooks/stripe/";

    private final transient StripeWebhookReceiver receiver;
    private final transient ErrorResponses errors;
    private final transient ObjectMapper mapper;
    private final int readLimit;

    StripeWebhookServlet(StripeWebhookReceiver receiver, ErrorResponses errors, ObjectMapper mapper,
                         StripeProperties properties) {
        this.receiver = receiver;
        this.errors = errors;
        this.mapper = mapper;
        // One byte past the limit is enough to know a body is too large.
        this.readLimit = (int) Math.min(Integer.MAX_VALUE - 8, properties.maxBodyBytes() + 1);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            errors.write(request, response, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.getMethod() + " is not allowed here");
            return;
        }
        String pathInfo = request.getPathInfo();
        String integrationId = pathInfo == null ? "" : pathInfo.substring(1);
        byte[] body = request.getInputStream().readNBytes(readLimit);
        StripeWebhookReceiver.Reply reply;
        try (LogContext ignored = integrationContext(integrationId)) {
            reply = receiver.receive(integrationId, body, request.getHeader("Stripe-Signature"));
        }
        Map<String, Object> json = new LinkedHashMap<>(reply.body());
        json.put("request_id", RequestIds.of(request));
        response.setStatus(reply.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), json);
    }

    /** The path's integration id into the log context, only when it is a UUID (it comes from anyone). */
    private static LogContext integrationContext(String integrationId) {
        try {
            return LogContext.forIntegration(UUID.fromString(integrationId));
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        ServletRegistrationBean<StripeWebhookServlet> stripeWebhookServlet(StripeWebhookReceiver receiver,
                                                                           ErrorResponses errors, ObjectMapper mapper,
                                                                           StripeProperties properties) {
            return new ServletRegistrationBean<>(new StripeWebhookServlet(receiver, errors, mapper, properties),
                    PATH + "*");
        }
    }
}
