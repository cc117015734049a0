package io.understudy.cli;

import java.util.Objects;
import picocli.CommandLine;

/** {@code understudy --version}: the version in the jar's manifest, and the Java runtime. */
final class VersionProvider implements CommandLine.IVersionProvider {
    /** The version of this build, or {@code development} when not run from a built jar. */
    static String version() {
        return Objects.requireNonNullElse(
                UnderstudyCommand.class.getPackage().getImplementationVersion(), "development");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "understudy " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name", "unknown VM") + ")"
        };
    }
}
