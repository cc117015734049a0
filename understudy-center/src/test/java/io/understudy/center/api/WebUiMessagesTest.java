package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventResult;
import io.understudy.center.orchestrator.Refusal;
import io.understudy.center.store.OperationKind;
import io.understudy.center.store.OperationState;
import io.understudy.center.store.StepState;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Role;
import io.understudy.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the web UI's texts whole: English and Japanese have the same messages with the same
 * placeholders, every message the pages ask for exists, and every name the API may send (event
 * kinds, states, error codes, ...) has a label, so no page ever shows a raw code.
 */
class WebUiMessagesTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\}");
    private static final Pattern LITERAL_KEY = Pattern.compile("\\bt\\(\\s*'([a-zA-Z0-9_.]+)'");
    private static final Pattern TERNARY_KEY =
            Pattern.compile("\\bt\\([^()]*\\?\\s*'([a-zA-Z0-9_.]+)'\\s*:\\s*'([a-zA-Z0-9_.]+)'");
    private static final Pattern HTML_KEY = Pattern.compile("data-i18n(?:-[a-z-]+)?=\"([^\"]+)\"");
    private static final Pattern EVENT_KIND = Pattern.compile("'([A-Z_]+)'");

    private static FileSystem jar;
    private static Path root;
    private static Map<String, String> en;
    private static Map<String, String> ja;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        // The page itself, not this module's test resources under the same path.
        URL url = ApiServer.class.getResource(ApiServer.WEB_UI + "/index.html");
        assertThat(url).as("the web UI on the class path").isNotNull();
        URI uri = url.toURI();
        if (uri.getScheme().equals("jar")) {
            jar = FileSystems.newFileSystem(uri, Map.of());
            root = jar.provider().getPath(uri).getParent();
        } else {
            root = Path.of(uri).getParent();
        }
        en = bundle("en");
        ja = bundle("ja");
    }

    @AfterAll
    static void close() throws IOException {
        if (jar != null) {
            jar.close();
        }
    }

    private static Map<String, String> bundle(String language) throws IOException {
        return Json.mapper()
                .readValue(Files.readString(root.resolve("i18n/" + language + ".json")), new TypeReference<>() {});
    }

    private static String sources(String glob) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> matching = files.filter(p ->
                            p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
                    .toList();
            StringBuilder all = new StringBuilder();
            for (Path file : matching) {
                all.append(Files.readString(file)).append('\n');
            }
            return all.toString();
        }
    }

    @Test
    void englishAndJapaneseHaveTheSameMessagesWithTheSamePlaceholders() {
        assertThat(ja.keySet()).containsExactlyInAnyOrderElementsOf(en.keySet());
        for (String key : en.keySet()) {
            assertThat(en.get(key)).as("en %s", key).isNotBlank();
            assertThat(ja.get(key)).as("ja %s", key).isNotBlank();
            assertThat(placeholders(ja.get(key))).as("placeholders of %s", key).isEqualTo(placeholders(en.get(key)));
        }
    }

    @Test
    void everyMessageThePagesAskForExists() throws IOException {
        Set<String> used = new TreeSet<>();
        String scripts = sources("*.js");
        collect(LITERAL_KEY, scripts, used);
        collect(TERNARY_KEY, scripts, used);
        collect(HTML_KEY, sources("*.html"), used);

        assertThat(used).hasSizeGreaterThan(100);
        assertThat(en.keySet()).containsAll(used);
    }

    @Test
    void everyNameTheApiSendsHasALabel() {
        Map<String, List<String>> families = new HashMap<>();
        families.put("state.", names(DatabaseState.values()));
        families.put("method.", names(ReplicationMethod.values()));
        families.put("mode.", names(StandbyMode.values()));
        families.put("databaseRole.", names(Role.values()));
        families.put("operation.kind.", names(OperationKind.values()));
        families.put("operation.state.", names(OperationState.values()));
        families.put("step.state.", names(StepState.values()));
        families.put("result.", names(EventResult.values()));
        families.put("eventKind.", names(EventKind.values()));
        families.put(
                "error.code.",
                Stream.concat(
                                Arrays.stream(Refusal.Code.values()).map(Refusal.Code::text),
                                Stream.of(
                                        "invalid_input",
                                        "malformed_json",
                                        "unauthorized",
                                        "forbidden",
                                        "csrf_token_invalid",
                                        "not_found",
                                        "conflict",
                                        "method_not_allowed",
                                        "payload_too_large",
                                        "internal_error",
                                        "unreachable"))
                        .toList());
        families.put("role.", List.of("admin", "viewer"));
        families.put("language.", List.of("en", "ja"));
        families.put("live.", List.of("connecting", "live", "reconnecting"));
        for (Map.Entry<String, List<String>> family : families.entrySet()) {
            for (String name : family.getValue()) {
                assertThat(en).as("label").containsKey(family.getKey() + name);
            }
        }
        for (String action : List.of("switchover", "failover", "reinstate", "observer", "delete")) {
            assertThat(en).containsKeys("action." + action + ".button", "action." + action + ".hint");
        }
    }

    @Test
    void theEventKindsOfTheFiltersAreTheControlCentersOwn() throws IOException {
        String vocabulary = Files.readString(root.resolve("js/vocabulary.js"));
        List<String> listed =
                EVENT_KIND.matcher(vocabulary).results().map(m -> m.group(1)).toList();

        assertThat(listed).containsExactlyInAnyOrderElementsOf(names(EventKind.values()));
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            for (int group = 1; group <= m.groupCount(); group++) {
                into.add(m.group(group));
            }
        }
    }

    private static Set<String> placeholders(String message) {
        return PLACEHOLDER.matcher(message).results().map(m -> m.group(1)).collect(Collectors.toSet());
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
