package gotourl.compare;

import java.util.List;

/** Agents labelled as Shlink (CrawlerDetect) counts them: crawlers, link previewers, monitors, HTTP libraries and headless browsers are bots; an empty agent too (no browser sends none). */
final class Agents {
    record Agent(String ua, boolean bot) {}

    static final List<Agent> ALL = List.of(
        new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", false),
        new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15", false),
        new Agent("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", false),
        new Agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", false),
        new Agent("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36", false),
        new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", false),
        new Agent("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36", false),
        new Agent("Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", false),
        new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0", false),
        new Agent("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36", false),
        new Agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/442.0.0.38.106;FBBV/548542361]", false),
        new Agent("Mozilla/5.0 (Linux; Android 12; moto g(30)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Instagram 311.0.0.32.118 Android", false),
        new Agent("Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko", false),
        new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0", false),
        new Agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true),
        new Agent("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true),
        new Agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true),
        new Agent("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", true),
        new Agent("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", true),
        new Agent("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", true),
        new Agent("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", true),
        new Agent("Twitterbot/1.0", true),
        new Agent("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", true),
        new Agent("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", true),
        new Agent("WhatsApp/2.23.20.0", true),
        new Agent("TelegramBot (like TwitterBot)", true),
        new Agent("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", true),
        new Agent("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", true),
        new Agent("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", true),
        new Agent("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", true),
        new Agent("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ClaudeBot/1.0; +claudebot@anthropic.com)", true),
        new Agent("Mozilla/5.0 (compatible; Applebot/0.1; +http://www.apple.com/go/applebot)", true),
        new Agent("curl/8.5.0", true),
        new Agent("Wget/1.21.4", true),
        new Agent("python-requests/2.31.0", true),
        new Agent("Go-http-client/1.1", true),
        new Agent("Java/21.0.2", true),
        new Agent("okhttp/4.12.0", true),
        new Agent("axios/1.6.2", true),
        new Agent("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", true),
        new Agent("PostmanRuntime/7.36.0", true),
        new Agent("Apache-HttpClient/4.5.14 (Java/17.0.9)", true),
        new Agent("Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", true),
        new Agent("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", true),
        new Agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36", true),
        new Agent("Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)", true),
        new Agent("Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)", true),
        new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/600.2.5 (KHTML, like Gecko) Version/8.0.2 Safari/600.2.5 (Applebot/0.1; +http://www.apple.com/go/applebot)", true),
        new Agent("Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)", true),
        new Agent("Mozilla/5.0 (compatible; SkypeUriPreview Preview/0.5)", true),
        new Agent("", true)
    );

    private Agents() {}
}
