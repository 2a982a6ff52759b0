package gotourl.web;

/**
 * What every page's layout ({@code web/layout.jte}) needs: its {@code title} (text, escaped by the
 * template), which {@code nav} entry is current ({@code shorten}, {@code manage}, {@code feed} or
 * {@code stats}), and the versioned paths of its stylesheet, icon and scripts.
 */
public record PageHead(String title, String nav, String css, String icon, String commonScript, String pageScript) {}
