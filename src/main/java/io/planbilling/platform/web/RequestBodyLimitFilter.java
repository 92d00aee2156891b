package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every request body at {@code billing.http.max-body-size} (default 4 MB: a 10
 * 000-record usage batch with every field at its longest is about 2.3 MB). A declared
 * {@code Content-Length} over the cap is refused before a byte is read; a chunked body is
 * counted as it is read and refused at the first byte over. Either way the answer is 413
 * {@code PAYLOAD_TOO_LARGE} and nothing has run. Runs right after
 * {@link RequestIdFilter}, before security, so an oversized body costs no key lookup.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;

    private final long maxBytes;

    RequestBodyLimitFilter(ProblemResponses problems, HttpSettings settings) {
        this.problems = problems;
        this.maxBytes = settings.maxBodySize().toBytes();
    }

    /**
     * @param maxBodySize the largest request body the service reads
     */
    @ConfigurationProperties("billing.http")
    public record HttpSettings(@DefaultValue("4MB") DataSize maxBodySize) {

        public HttpSettings {
            if (maxBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("billing.http.max-body-size must be between 1 byte and 2 GB");
            }
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            refuse(request, response);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, maxBytes), response);
        }
        catch (BodyTooLargeException ex) {
            if (!response.isCommitted()) {
                response.reset();
                response.setHeader(RequestIdFilter.HEADER, (String) request.getAttribute(RequestIdFilter.MDC_KEY));
                refuse(request, response);
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the rest of the body is not read: the container swallows at most
        // server.tomcat.max-swallow-size (2 MB) of it
        // and closes the connection beyond that
        problems.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body exceeds " + maxBytes + " bytes.");
    }

    /**
     * Thrown by the body's stream at the first byte over the limit; mapped to 413
     * wherever it surfaces.
     */
    public static final class BodyTooLargeException extends IOException {

        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long maxBytes) {
            super("The request body exceeds " + maxBytes + " bytes.");
        }

    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;

        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

    }

    private static final class LimitedStream extends ServletInputStream {

        private final ServletInputStream in;

        private final long maxBytes;

        private long read;

        LimitedStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

    }

}
