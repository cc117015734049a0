package io.understudy.e2e;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints what every piece of a site saw when a scenario fails, before {@code @AfterEach} and
 * {@code @AfterAll} stop it: the Control Center's events, the agents' output, PostgreSQL's logs.
 */
final class DiagnosticsOnFailure implements AfterTestExecutionCallback {
    private final Supplier<String> diagnostics;

    DiagnosticsOnFailure(Supplier<String> diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            System.err.println("=== " + context.getDisplayName() + " failed; what the site saw:");
            System.err.println(diagnostics.get());
        }
    }
}
