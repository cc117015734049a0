package io.understudy.cli;

import io.understudy.core.api.StandbyTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --standby AGENT:DATA_DIRECTORY:PORT}. The agent ends at the first {@code :} (an
 * agent's name has none) and the port starts after the last, so the data directory may hold
 * {@code :} itself: {@code psql2:/srv/pg:16/main:5433} is agent {@code psql2}, directory {@code
 * /srv/pg:16/main}, port 5433. Only the shape is checked here; the Control Center checks the
 * agent, the directory and the port, and names the field it refuses.
 */
final class StandbyTargetArgument implements ITypeConverter<StandbyTarget> {
    static final String SHAPE = "expected AGENT:DATA_DIRECTORY:PORT, e.g. psql2:/var/lib/postgresql/16/standby:5433";

    StandbyTargetArgument() {}

    @Override
    public StandbyTarget convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * Splits {@code text} at its first and last {@code :}.
     *
     * @throws IllegalArgumentException saying which part is missing or wrong, and the expected
     *     shape
     */
    static StandbyTarget parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("'" + text + "' has not three parts; " + SHAPE);
        }
        String agent = text.substring(0, first).strip();
        String directory = text.substring(first + 1, last);
        String port = text.substring(last + 1).strip();
        if (agent.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no agent before the first ':'; " + SHAPE);
        }
        if (directory.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' has no data directory; " + SHAPE);
        }
        if (port.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no port after the last ':'; " + SHAPE);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "the port '" + port + "' in '" + text + "' is not a number; " + SHAPE, e);
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("the port " + number + " in '" + text + "' is not in 1-65535");
        }
        return new StandbyTarget(agent, directory, number);
    }
}
