package gotourl.link;

import java.util.Locale;

/**
 * One condition of a redirect rule, as Shlink 4's {@code RedirectCondition}: its JSON is
 * {@code {"type": ..., "matchKey": ..., "matchValue": ...}}, and it matches a request
 * ({@link RuleRequest}) as Shlink's {@code matchesRequest} does.
 *
 * <p>The compact constructor validates as Shlink's {@code RedirectRulesInputFilter} and
 * {@code RedirectConditionType::isValid} do, throwing {@link IllegalArgumentException} with a
 * message fit for a client: a {@code device} is one of {@link Type#DEVICES}; an
 * {@code ip-address} a static IPv4 address, a CIDR block or a pattern with {@code *} octets
 * ({@link Ipv4Pattern}); a {@code query-param}'s value is not empty; the query-param types have a
 * key. The geolocation types are refused: their matching needs a GeoLite database goto does not
 * have.
 *
 * @param type       what is compared
 * @param matchKey   the query parameter's name for the query-param types, else null
 * @param matchValue the value compared (for {@code any-value-query-param} and
 *                   {@code valueless-query-param} unused and kept as given, possibly null)
 */
public record RedirectCondition(Type type, String matchKey, String matchValue) {
    /** The longest key or value taken, in characters. */
    public static final int MAX_CHARS = 2048;

    /** Shlink 4's condition types, by their JSON names. */
    public enum Type {
        DEVICE("device"), LANGUAGE("language"), QUERY_PARAM("query-param"), ANY_VALUE_QUERY_PARAM("any-value-query-param"),
        VALUELESS_QUERY_PARAM("valueless-query-param"), IP_ADDRESS("ip-address"),
        GEOLOCATION_COUNTRY_CODE("geolocation-country-code"), GEOLOCATION_CITY_NAME("geolocation-city-name");

        /** Shlink's {@code DeviceType} values, what a {@code device} condition may match. */
        public static final java.util.List<String> DEVICES =
                java.util.List.of("android", "ios", "mobile", "windows", "macos", "linux", "chromeos", "desktop");

        /** The name in JSON ({@code query-param}). */
        public final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        /** The type named {@code wire} in JSON, or null for none of Shlink's. */
        public static Type fromWire(String wire) {
            for (Type type : values()) {
                if (type.wire.equals(wire)) {
                    return type;
                }
            }
            return null;
        }

        /** True for the types that compare a query parameter named by {@code matchKey}. */
        public boolean keyed() {
            return this == QUERY_PARAM || this == ANY_VALUE_QUERY_PARAM || this == VALUELESS_QUERY_PARAM;
        }
    }

    public RedirectCondition {
        if (type == null) {
            throw new IllegalArgumentException("a redirect condition needs a type, one of " + wireNames());
        }
        if (type == Type.GEOLOCATION_COUNTRY_CODE || type == Type.GEOLOCATION_CITY_NAME) {
            throw new IllegalArgumentException("the \"" + type.wire + "\" redirect condition needs a visitor's location, which"
                    + " Shlink reads from a GeoLite2 database; goto has none, so it does not take geolocation conditions");
        }
        if (matchKey != null && matchKey.length() > MAX_CHARS || matchValue != null && matchValue.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a redirect condition's matchKey and matchValue hold at most " + MAX_CHARS
                    + " characters");
        }
        if (type.keyed() && (matchKey == null || matchKey.isEmpty())) {
            throw new IllegalArgumentException("the \"" + type.wire + "\" redirect condition needs a matchKey: the query"
                    + " parameter's name");
        }
        if ((!type.keyed() || type == Type.QUERY_PARAM) && matchValue == null) {
            throw new IllegalArgumentException("the \"" + type.wire + "\" redirect condition needs a matchValue" + hint(type));
        }
        if ((!type.keyed() || type == Type.QUERY_PARAM) && !valid(type, matchValue)) {
            throw new IllegalArgumentException("\"" + matchValue + "\" is not a valid matchValue for the \"" + type.wire
                    + "\" redirect condition" + hint(type));
        }
    }

    private static boolean valid(Type type, String value) {
        return switch (type) {
            case DEVICE -> Type.DEVICES.contains(value);
            case IP_ADDRESS -> Ipv4Pattern.parse(value) != null;
            case QUERY_PARAM -> !value.isEmpty();
            default -> true;
        };
    }

    private static String hint(Type type) {
        return switch (type) {
            case DEVICE -> ": one of " + String.join(", ", Type.DEVICES);
            case IP_ADDRESS -> ": a static IPv4 address (100.200.80.40), a CIDR block (192.168.10.0/24) or a wildcard"
                    + " pattern (11.22.*.*)";
            case QUERY_PARAM -> ": the value the parameter must have, not empty";
            case LANGUAGE -> ": a language (en) or a locale (en-US)";
            default -> "";
        };
    }

    private static String wireNames() {
        return String.join(", ", java.util.Arrays.stream(Type.values()).map(t -> t.wire).toList());
    }

    /** Whether {@code request} meets this condition, as Shlink's {@code RedirectCondition::matchesRequest}. */
    public boolean matches(RuleRequest request) {
        return switch (type) {
            case QUERY_PARAM -> matchValue.equals(request.queryParam(matchKey));
            case ANY_VALUE_QUERY_PARAM -> request.queryParam(matchKey) != null;
            case VALUELESS_QUERY_PARAM -> {
                String value = request.queryParam(matchKey);
                yield value != null && value.isEmpty();
            }
            case LANGUAGE -> matchesLanguage(request.acceptLanguage());
            case DEVICE -> RuleRequest.devicesOf(request.userAgent()).contains(matchValue);
            case IP_ADDRESS -> {
                Ipv4Pattern pattern = Ipv4Pattern.parse(matchValue);
                yield pattern != null && pattern.matches(request.remoteAddress());
            }
            case GEOLOCATION_COUNTRY_CODE, GEOLOCATION_CITY_NAME -> false;
        };
    }

    /**
     * Shlink's language match: each language of {@code Accept-Language} with a quality of 0.9 or
     * more ({@code *} aside) is split into language and country; the condition's language must be
     * one of them, and its country, when it names one, that language's. Case and {@code _} for
     * {@code -} do not matter.
     */
    private boolean matchesLanguage(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.trim().equals("*")) {
            return false;
        }
        String[] wanted = splitLocale(normalizeLocale(matchValue));
        for (String entry : acceptLanguage.split(",")) {
            int semicolon = entry.indexOf(';');
            String lang = normalizeLocale(semicolon < 0 ? entry : entry.substring(0, semicolon));
            if (lang.equals("*") || semicolon >= 0 && quality(entry.substring(semicolon + 1)) < 0.9) {
                continue;
            }
            String[] offered = splitLocale(lang);
            if (offered[0].equals(wanted[0]) && (wanted[1] == null || wanted[1].equals(offered[1]))) {
                return true;
            }
        }
        return false;
    }

    /** The {@code q} of an {@code Accept-Language} entry's parameters; 1 when absent, 0 when unreadable. */
    private static double quality(String params) {
        for (String param : params.split(";")) {
            String p = param.trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static String normalizeLocale(String locale) {
        return locale.replace('_', '-').toLowerCase(Locale.ROOT).trim();
    }

    /** {@code en-us} as {@code [en, us]}, {@code en} as {@code [en, null]}: Shlink's {@code splitLocale}. */
    private static String[] splitLocale(String locale) {
        String[] parts = locale.split("-", -1);
        return new String[] {parts[0], parts.length > 1 ? parts[1] : null};
    }
}
