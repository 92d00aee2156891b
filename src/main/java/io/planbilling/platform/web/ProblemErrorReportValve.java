package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.MDC;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error report, for the requests Tomcat refuses before any servlet sees them
 * (a request line or headers over {@code server.max-http-request-header-size}, an
 * unparsable request): the same problem body as every other error instead of Tomcat's
 * HTML page. Errors inside the application never get here; they are problems already.
 */
class ProblemErrorReportValve extends ErrorReportValve {

    private final JsonMapper json;

    ProblemErrorReportValve(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        // a request Tomcat refused never reached RequestIdFilter: it gets its id here, in
        // the header and the body alike
        String requestId = response.getHeader(RequestIdFilter.HEADER);
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
        }
        ProblemDetail problem;
        MDC.put(RequestIdFilter.MDC_KEY, requestId);
        try {
            problem = ProblemResponses.problem(code, code.status() >= 500 ? "The service failed to process the request."
                    : "The request could not be read (too large or not valid HTTP).", List.of(), null);
        }
        finally {
            MDC.remove(RequestIdFilter.MDC_KEY);
        }
        try {
            response.setStatus(code.status());
            response.setHeader(RequestIdFilter.HEADER, requestId);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(json.writeValueAsString(problem));
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // the connection is gone or the response already started; nothing more can be
            // said
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /**
         * Installs the valve on the host in place of Tomcat's HTML
         * {@link ErrorReportValve}.
         */
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports(JsonMapper json) {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemErrorReportValve(json));
                }
            });
        }

    }

}
