package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract check every HTTP test runs: it refuses what the document does not say, and
 * only that.
 */
class OpenApiContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.0.1", "paths": {
              "/things/{id}": {"get": {"operationId": "getThing", "responses": {
                "200": {"description": "the thing",
                        "headers": {"X-Request-Id": {"required": true, "schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "404": {"description": "no such thing",
                        "content": {"application/problem+json": {"schema": {"type": "object", "required": ["code"]}}}}}}},
              "/things/catalog": {"get": {"operationId": "getCatalog", "responses": {"204": {"description": "empty"}}}}},
             "components": {"schemas": {
               "Thing": {"type": "object", "required": ["id", "owner"], "properties": {
                 "id": {"type": "string", "format": "uuid"},
                 "owner": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}]},
                 "note": {"type": "string", "nullable": true}}},
               "Owner": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}}""";

    private final OpenApiContract contract = new OpenApiContract(DOCUMENT);

    private final JsonMapper json = JsonMapper.builder().build();

    private TestApi.Response response(int status, String contentType, String body) {
        return new TestApi.Response(status, Map.of("content-type", contentType, "x-request-id", "r-1"), body,
                body.isEmpty() ? null : json.readTree(body));
    }

    private OpenApiContract.Operation getThing() {
        return contract.match("GET", "/things/6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f?x=1").orElseThrow();
    }

    @Test
    void acceptsADocumentedAnswerWithNullsWhereTheDocumentAllowsThem() {
        String body = """
                {"id": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "owner": null, "note": null}""";

        assertThat(contract.violations(getThing(), response(200, "application/json", body))).isEmpty();
        assertThat(contract.violations(getThing(), response(200, "application/json", """
                {"id": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "owner": {"name": "Ann"}}"""))).isEmpty();
    }

    @Test
    void refusesAnUndocumentedStatus() {
        assertThat(contract.violations(getThing(), response(409, "application/problem+json", "{\"code\": \"X\"}")))
            .singleElement()
            .asString()
            .contains("status 409 is not documented");
    }

    @Test
    void refusesABodyThatBreaksTheSchema() {
        String missingOwner = """
                {"id": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f"}""";
        String ownerWithoutName = """
                {"id": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "owner": {}}""";
        String idNotAString = """
                {"id": 7, "owner": null}""";

        assertThat(contract.violations(getThing(), response(200, "application/json", missingOwner))).isNotEmpty();
        assertThat(contract.violations(getThing(), response(200, "application/json", ownerWithoutName))).isNotEmpty();
        assertThat(contract.violations(getThing(), response(200, "application/json", idNotAString))).isNotEmpty();
    }

    @Test
    void refusesAnUndocumentedContentTypeAMissingBodyAndAMissingRequiredHeader() {
        assertThat(contract.violations(getThing(), response(404, "application/json", "{\"code\": \"X\"}")))
            .singleElement()
            .asString()
            .contains("content type application/json is not documented");
        assertThat(contract.violations(getThing(), response(200, "application/json", ""))).isNotEmpty();
        TestApi.Response withoutRequestId = new TestApi.Response(200, Map.of("content-type", "application/json"),
                "{\"id\": \"6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f\", \"owner\": null}", null);
        assertThat(contract.violations(getThing(), withoutRequestId))
            .anySatisfy(violation -> assertThat(violation).contains("required header X-Request-Id is missing"));
    }

    @Test
    void matchesALiteralSegmentBeforeATemplateAndNothingForOtherRoutesOrMethods() {
        assertThat(contract.match("GET", "/things/catalog")).get()
            .extracting(OpenApiContract.Operation::id)
            .isEqualTo("getCatalog");
        assertThat(contract.match("DELETE", "/things/1")).isEmpty();
        assertThat(contract.match("GET", "/things/1/parts")).isEmpty();
        assertThat(contract.match("GET", "/actuator/health")).isEmpty();
    }

}
