package io.planbilling.client.smoke;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planbilling.client.ApiClient;
import io.planbilling.client.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The generated client as an integrator should configure it: one {@link ApiClient} per API key, reading JSON
 * strictly, so that a member the document does not declare fails the call instead of being dropped unseen.
 */
final class StrictClients {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private StrictClients() {
    }

    /** A generated client that sends {@code apiKey} as its bearer key and refuses undocumented members. */
    static ApiClient forKey(String baseUrl, String apiKey) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        client.setConnectTimeout(TIMEOUT);
        client.setReadTimeout(TIMEOUT);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + apiKey));
        // set before any *Api is built from this client: each copies the mapper when it is constructed
        client.setObjectMapper(strict(client.getObjectMapper()));
        return client;
    }

    /** The generator's mapper (dates, enums, the JSR-310 module) with unknown members an error, not ignored. */
    static ObjectMapper strict(ObjectMapper generated) {
        return generated.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * POSTs {@code body} as a generated method would (the client's HTTP client, base URI, bearer key and strict
     * mapper) but reads the answer as {@code type}. Needed where one operation answers two shapes — the real call 201,
     * its {@code ?preview=true} 200 — because Java generators give a method the type of its lowest 2xx response
     * only, so the generated method of such an operation reads the real answer as the preview's quote.
     */
    static <T> T post(ApiClient client, String path, Object body, int expectedStatus, Class<T> type)
            throws ApiException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.getBaseUri() + path))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .timeout(client.getReadTimeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(client.getObjectMapper().writeValueAsBytes(body)));
            client.getRequestInterceptor().accept(request);
            HttpResponse<String> response = client.getHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new ApiException(response.statusCode(), "POST " + path + " answered " + response.statusCode()
                        + " instead of " + expectedStatus, response.headers(), response.body());
            }
            return client.getObjectMapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw new ApiException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(e);
        }
    }
}
