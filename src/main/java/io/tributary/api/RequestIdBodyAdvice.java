package io.tributary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.RequestIds;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/** Puts the request's id into every JSON object the API answers with, in one place. */
@RestControllerAdvice
public class RequestIdBodyAdvice implements ResponseBodyAdvice<Object> {

    private final ObjectMapper mapper;

    public RequestIdBodyAdvice(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return MappingJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        if (body == null || body instanceof ApiError || !(request instanceof ServletServerHttpRequest servlet)) {
            return body;
        }
        String requestId = RequestIds.of(servlet.getServletRequest());
        if (requestId == null || body instanceof Map<?, ?> map && map.containsKey("request_id")) {
            return body;
        }
        if (body instanceof Map<?, ?> map) {
            Map<Object, Object> withId = new LinkedHashMap<>(map);
            withId.put("request_id", requestId);
            return withId;
        }
        if (!(mapper.valueToTree(body) instanceof ObjectNode node)) {
            return body;
        }
        if (!node.has("request_id")) {
            node.put("request_id", requestId);
        }
        return node;
    }
}
