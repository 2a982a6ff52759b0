package gotourl.apikey;

import java.util.Objects;

/**
 * A secret given to goto in its settings ({@code -initial-api-key}): its {@link #toString} never
 * shows it, so a settings record printed in a log or an exception does not leak it.
 */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "(secret, " + value.length() + " characters)";
    }
}
