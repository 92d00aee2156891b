package io.planbilling.platform.idempotency;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.util.ContentCachingResponseWrapper;

/** The first completed response of an idempotency key, replayed byte for byte. */
record StoredResponse(String fingerprint, int status, String contentType, String location, byte[] body) {

    static StoredResponse of(String fingerprint, ContentCachingResponseWrapper response) {
        return new StoredResponse(fingerprint, response.getStatus(), response.getContentType(),
                response.getHeader(HttpHeaders.LOCATION), response.getContentAsByteArray());
    }

    void writeTo(HttpServletResponse response, String replayedHeader) throws IOException {
        response.setStatus(status);
        if (contentType != null) {
            response.setContentType(contentType);
        }
        if (location != null) {
            response.setHeader(HttpHeaders.LOCATION, location);
        }
        response.setHeader(replayedHeader, "true");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
