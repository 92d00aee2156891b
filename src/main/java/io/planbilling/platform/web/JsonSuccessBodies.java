package io.planbilling.platform.web;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Every body other than a problem is {@code application/json}, whatever the
 * {@code Accept} header lists first. Spring would otherwise label a catalog or a package
 * {@code application/problem+json} for a client that sends
 * {@code Accept: application/problem+json} (or lists it before {@code application/json}),
 * because the JSON converter writes any {@code application/*+json}. Problems stay
 * {@code application/problem+json}.
 */
@RestControllerAdvice
class JsonSuccessBodies implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
            MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request, ServerHttpResponse response) {
        if (body != null && !(body instanceof ProblemDetail) && "json".equals(selectedContentType.getSubtypeSuffix())) {
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        }
        return body;
    }

}
