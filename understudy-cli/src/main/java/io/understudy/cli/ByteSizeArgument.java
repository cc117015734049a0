package io.understudy.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size in bytes as PostgreSQL's settings write it: a number of bytes, or with a unit,
 * {@code kB}, {@code MB}, {@code GB}, {@code TB} counting in 1024s (as PostgreSQL does), or
 * {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}: {@code 16MB} is 16777216.
 */
final class ByteSizeArgument implements ITypeConverter<Long> {
    static final String SHAPE = "expected bytes, or a number with kB, MB, GB or TB (1024-based), e.g. 16MB";

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]i?b|b)?");
    private static final Map<Character, Integer> POWER = Map.of('k', 1, 'm', 2, 'g', 3, 't', 4);

    ByteSizeArgument() {}

    @Override
    public Long convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * The number of bytes {@code text} says.
     *
     * @throws IllegalArgumentException naming the expected shape
     */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; " + SHAPE);
        }
        String unit = m.group(2);
        int power = unit == null || unit.equals("b") ? 0 : POWER.get(unit.charAt(0));
        BigDecimal bytes =
                new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large", e);
        }
    }
}
