package io.understudy.center.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.understudy.core.json.Json;
import io.understudy.core.protocol.Secret;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads request bodies strictly ({@link Json#strictMapper()}, plus no trailing content): an unknown
 * key, a missing key or a value of the wrong type is refused with the field's path, e.g. {@code
 * databases[0].role}. A {@code null} where the record does not declare {@code @Nullable}, and a
 * {@code null} element of a list, is refused naming its path too ({@code databases}, {@code
 * databases[0]}). Error messages never quote the values sent, so a secret sent in the wrong place is
 * not echoed back.
 */
public final class RequestBodies {
    private static final ObjectMapper STRICT =
            Json.strictMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing (?:required )?creator property '([^']*)'");
    private static final int NAME_MAX = 64;

    private RequestBodies() {}

    /**
     * Parses {@code body} as a {@code type}. Does not validate values beyond their JSON types.
     *
     * @throws ApiException 400 {@code malformed_json} when the body is not JSON, 400 {@code
     *     invalid_input} naming the field when it does not fit {@code type}
     */
    public static <T> T read(String body, Class<T> type) {
        if (body.isBlank()) {
            throw ApiException.malformedJson("the request body is empty; expected a JSON object");
        }
        checkNulls(body, type);
        try {
            @Nullable T value = STRICT.readValue(withOptionalKeys(body, type), type);
            if (value == null) {
                throw ApiException.malformedJson("the request body is null; expected a JSON object");
            }
            return value;
        } catch (JsonEOFException e) {
            throw ApiException.malformedJson("the request body is not valid JSON: it ends too early" + at(e));
        } catch (JsonParseException e) {
            throw ApiException.malformedJson("the request body is not valid JSON: unexpected content" + at(e));
        } catch (UnrecognizedPropertyException e) {
            String key = shorten(e.getPropertyName());
            throw ApiException.invalid(
                    path(e), "unknown key '" + key + "'" + in(e) + "; expected " + known(e.getKnownPropertyIds()));
        } catch (InvalidFormatException e) {
            String field = path(e);
            throw ApiException.invalid(field, field + " must be " + describe(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw mismatched(e);
        } catch (ValueInstantiationException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw ApiException.malformedJson("the request body does not make a valid "
                        + noun(e.getType().getRawClass()));
            }
            throw ApiException.invalid(field, field + " is not valid");
        } catch (JsonMappingException e) {
            String field = path(e);
            throw field.isEmpty()
                    ? ApiException.malformedJson("the request body does not fit the expected JSON object")
                    : ApiException.invalid(field, field + " is not valid");
        } catch (JsonProcessingException e) {
            throw ApiException.malformedJson("the request body is not valid JSON" + at(e));
        }
    }

    /**
     * {@code body} with a {@code null} for each {@code @Nullable} component of {@code type} (a
     * record) that it leaves out: such a key is optional, so that a field added to a request later
     * does not break the clients that do not know it. Other keys stay required. A body that does not
     * parse is returned as it is, for {@link #read} to report.
     */
    private static String withOptionalKeys(String body, Class<?> type) {
        if (!type.isRecord()) {
            return body;
        }
        try {
            JsonNode tree = STRICT.readTree(body);
            if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
                return body;
            }
            boolean added = false;
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)
                        && !object.has(component.getName())) {
                    object.putNull(component.getName());
                    added = true;
                }
            }
            return added ? STRICT.writeValueAsString(object) : body;
        } catch (JsonProcessingException e) {
            return body;
        }
    }

    /**
     * Refuses a {@code null} that {@code type} does not allow, naming its path. Syntax errors are
     * left to {@link #read}, which reports them with their location.
     */
    private static void checkNulls(String body, Class<?> type) {
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            return;
        }
        if (tree != null) {
            checkRecord(tree, type, "");
        }
    }

    private static void checkRecord(JsonNode node, Class<?> type, String path) {
        if (!type.isRecord() || !node.isObject()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode value = node.get(component.getName());
            if (value != null) {
                String field =
                        path.isEmpty() ? shorten(component.getName()) : path + "." + shorten(component.getName());
                checkValue(value, component.getAnnotatedType(), field, false);
            }
        }
    }

    private static void checkValue(JsonNode value, AnnotatedType type, String field, boolean element) {
        Class<?> raw = rawClass(type.getType());
        if (value.isNull()) {
            if (type.isAnnotationPresent(Nullable.class) || raw.isPrimitive()) {
                return; // Jackson refuses a null primitive, naming the field
            }
            throw ApiException.invalid(field, element ? field + " must not be null" : field + " is required");
        }
        if (List.class.isAssignableFrom(raw) && value.isArray() && type instanceof AnnotatedParameterizedType list) {
            AnnotatedType elementType = list.getAnnotatedActualTypeArguments()[0];
            for (int i = 0; i < value.size(); i++) {
                checkValue(value.get(i), elementType, field + "[" + i + "]", true);
            }
        } else if (raw.isRecord()) {
            checkRecord(value, raw, field);
        }
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static ApiException mismatched(MismatchedInputException e) {
        String field = path(e);
        Matcher missing = MISSING_PROPERTY.matcher(Objects.requireNonNullElse(e.getOriginalMessage(), ""));
        if (missing.find()) {
            String name = missing.group(1);
            String full = field.isEmpty() ? name : field.endsWith(name) ? field : field + "." + name;
            return ApiException.invalid(full, full + " is required");
        }
        if (field.isEmpty()) {
            return ApiException.malformedJson("the request body must be a JSON object");
        }
        return ApiException.invalid(field, field + " must be " + describe(e.getTargetType()));
    }

    /** {@code databases[0].role}, from Jackson's path of references. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            String name = reference.getFieldName();
            if (name != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(shorten(name));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String in(UnrecognizedPropertyException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.size() <= 1) {
            return "";
        }
        String full = path(e);
        int dot = full.lastIndexOf('.');
        return dot > 0 ? " in " + full.substring(0, dot) : "";
    }

    private static String known(@Nullable Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "no other keys";
        }
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == Secret.class) {
            return "a string";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2024-05-01T12:00:00Z";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a JSON object (" + noun(type) + ")";
    }

    private static String noun(Class<?> type) {
        return type.getSimpleName();
    }

    private static String at(JsonProcessingException e) {
        var location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String shorten(@Nullable String name) {
        if (name == null) {
            return "";
        }
        return name.length() <= NAME_MAX ? name : name.substring(0, NAME_MAX) + "…";
    }
}
