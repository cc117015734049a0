package io.understudy.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.understudy.core.json.Json;

/** {@code --json}: the API's JSON as the Control Center sent it, keys and all, pretty-printed. */
public final class JsonOutput {
    private static final ObjectWriter PRETTY = Json.mapper().writerWithDefaultPrettyPrinter();

    private JsonOutput() {}

    /** {@code tree}, indented, ending in a newline. */
    public static String pretty(JsonNode tree) {
        try {
            return PRETTY.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a JSON tree", e);
        }
    }
}
