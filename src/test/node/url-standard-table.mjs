// Records how browsers read long URLs, as the expected values of goto's UrlStandardTableTest.
// Not run by the build: run it again by hand when cases are added, and commit its output.
//
//   cd src/test/node && npm ci && npm run table
//   (that is: node url-standard-table.mjs > ../resources/gotourl/link/url-standard.tsv)
//
// Two parsers of the WHATWG URL Standard answer each case: Node's own URL (the parser of Node,
// as of v20 the ada library) and whatwg-url, the Standard's reference implementation, which
// tracks the Standard's latest text. Where they differ, the table takes whatwg-url's answer and
// notes Node's: Node 20's parser lags the Standard in three ways that matter here (it does not
// apply the bidi rule to international domain names, keeps ^ unencoded in paths, and refuses
// ASCII hosts with malformed xn-- labels that the Standard keeps as typed). A real browser was
// asked too, once (Chromium 150, new URL() in headless mode): on every case where Node and
// whatwg-url differ, it answered as whatwg-url does.
//
// Output: one case a line, "INPUT<TAB>HREF" and, where Node 20 answers otherwise, "<TAB>node: ..."
// HREF is FAIL where the parser refuses the input. Fields escape \ as \\, and tab, newline, carriage
// return, other controls, format characters, unusual spaces and lone surrogates as \t \n \r \uXXXX;
// other characters are UTF-8.
//
// Some inputs come from the web-platform-tests URL suite (url/resources/urltestdata.json,
// https://github.com/web-platform-tests/wpt, 3-Clause BSD License, Copyright 2019 web-platform-tests
// contributors); the expected values here are the parsers' own answers, not copied from it.

import { readFileSync } from 'node:fs';
import { URL as StandardURL } from 'whatwg-url';

const standardVersion = JSON.parse(readFileSync(new URL('./node_modules/whatwg-url/package.json', import.meta.url))).version;

const cases = [];
const add = (...inputs) => cases.push(...inputs);

// ---- from public bug reports: hosts mapped as browsers map them, and URLs that must be refused or kept
add('http://faß.de/', 'http://ς.com/', 'https://faß.ExAmPlE/', 'https://matrix.to/#/#room:example.org',
  'http://x%EF%BC%8F:%C3%A9', 'https://%E2%84%80.example/', 'https://℀.example/', 'http://x／y.example/',
  'http://x%EF%BC%8F.example/', 'https://www.google.com/search?q=ünïcödé&hl=de', 'https://example.com/#!/route?x=1');

// ---- hosts: case, IDNA mapping (UTS #46 non-transitional), forbidden code points
add('HTTP://EXAMPLE.COM/', 'http://Example.Com./', 'http://example.com../', 'http://./', 'http://../',
  'http://bücher.example/', 'http://BÜCHER.example/', 'http://xn--bcher-kva.example/', 'http://XN--BCHER-KVA.example/',
  'http://💩.la/', 'http://xn--ls8h.la/', 'http://Ｇｏ.com', 'http://ＡＢＣ.com/', 'http://www.foo。bar.com',
  'http://a｡b｡c/', 'http://a．b/', 'http://例え.jp/', 'http://你好你好', 'http://日本語。ＪＰ/', 'http://рф.рф/',
  'http://παράδειγμα.δοκιμή/', 'http://Σ.com/', 'http://σ.com/', 'http://ς.COM/', 'http://ΣΑΣ.com/',
  'http://straße.de/', 'http://STRASSE.de/', 'http://ﬀ.com/', 'http://ǅ.com/', 'http://İ.com/', 'http://ı.com/',
  'http://e\u0301.com/', 'http://\u00e9.com/', 'http://\u0301e.com/', 'http://ab\u00adc.com/', 'http://a\u200bb.com/',
  'http://a\u200cb.com/', 'http://a\u200db.com/', 'http://\u0915\u094d\u200d.com/', 'http://a\u2060b.com/',
  'http://a\ufeffb.com/', 'http://\ufdd0zyx.com', 'http://%ef%b7%90zyx.com', 'https://\ufffd', 'https://%EF%BF%BD',
  'http://مثال.إختبار/', 'http://اa.com/', 'http://aا.com/', 'http://١٢٣.com/', 'http://۱۲۳.com/', 'http://١۲.com/',
  'http://עברית.example/', 'http://א1.com/', 'http://1א.com/', 'http://a.b.c.xn--pokxncvks', 'http://a.b.c.XN--pokxncvks',
  'http://10.0.0.xn--pokxncvks', 'http://xn--/', 'http://xn--a.com/', 'http://xn--ls8h/', 'http://a.xn--ls8h/',
  'http://xn--zca.com/', 'http://xn--ss-7ka.com/', 'http://xn--fa-hia.de/', 'http://xn--4xa.com/', 'http://xn--3xa.com/',
  'http://xn--55qx5d.cn/', 'http://xn--55qx5d.xn--55qx5d/', 'http://xn---/', 'http://xn--ab--/', 'http://-x.com/',
  'http://x-.com/', 'http://ab--cd.com/', 'http://x_y.com/', 'http://a*b.com/', 'http://a!b$c&d\'e(f)g+h,i;j=k.com/',
  'http://a~b.com/', 'http://a"b.com/', 'http://a{b}.com/', 'http://a`b.com/', 'http://a b/', 'http://a<b/',
  'http://a>b/', 'http://a^b/', 'http://a|b/', 'http://a%b/', 'http://a%25b/', 'http://a%41b/', 'http://ex%41mple.com/',
  'http://ex%2Emple.com/', 'http://example.com%2F/', 'http://example.com%2f.evil/', 'http://a%40b.com/', 'http://a%3Ab/',
  'http://a%00b/', 'http://hello%00', 'http://%25', 'http://%zz%66%a.com', 'http://％４１.com', 'http://％００.com',
  'http://%ef%bc%85%ef%bc%94%ef%bc%91.com', 'http://a\u0000b/', 'http://a\u001fb/', 'http://a\u007fb/', 'http://a\u0080b/',
  'http://a\u00a0b/', 'http://a\u3000b/', 'http://a\u2028b/', 'http://ａ＠ｂ.com/', 'http://a＃b.com/', 'http://a？b.com/',
  'http://a﹖b.com/', 'http://a∕b.com/', 'http://a⁄b.com/', 'http://a＼b.com/', 'http://a。/', 'http://。/',
  'http://' + 'a'.repeat(63) + '.com/', 'http://' + 'a'.repeat(64) + '.com/', 'http://' + 'ab.'.repeat(90) + 'com/',
  'http://' + 'ü'.repeat(70) + '.com/', 'http://localhost/', 'http://LOCALHOST./', 'http://foo.localhost/');

// ---- IPv4 in all the forms browsers read, and near misses
add('http://127.0.0.1/', 'http://2130706433/', 'http://2130706433:3000/', 'http://0x7f000001/', 'http://0x7F.1/',
  'http://0177.0.0.1/', 'http://017700000001/', 'http://127.1/', 'http://127.0.1/', 'http://0x7f.0x0.0x0.0x1/',
  'http://0/', 'http://0.0.0.0/', 'http://0x.0x.0/', 'http://00/', 'http://0x/', 'http://0X/', 'http://1.2.3.4./',
  'http://1.2.3.4../', 'http://1.2.3.4.5/', 'http://1.2.3.4.5./', 'http://256.0.0.1/', 'http://1.256/', 'http://1.65536/',
  'http://1.2.65535/', 'http://1.2.65536/', 'http://4294967295/', 'http://4294967296/', 'http://1.4294967295/',
  'http://999999999999999999999999/', 'http://0x100000000/', 'http://0xffffffff/', 'http://0xffffffff1/',
  'http://192.168.0.257', 'http://09/', 'http://08.1/', 'http://1.09/', 'http://09.com/', 'http://1.2.3.09/',
  'http://0x1g/', 'http://1.2.3.0x/', 'http://a.1/', 'http://1.a/', 'http://1.2.3.4.com/', 'http://com.1.2.3.4/',
  'http://%30%78%63%30%2e%30%32%35%30.01', 'http://%30%78%63%30%2e%30%32%35%30.01%2e', 'http://０Ｘｃ０．０２５０．０１',
  'http://%3g%78%63%30%2e%30%32%35%30%2E.01', 'http://192.168.0.1 hello', 'http://１２７.０.０.１/', 'http://127。0。0。1/',
  'http://[::127.0.0.1]/', 'http://10.0.0.1:80/', 'http://10.0.0.1:8080/');

// ---- IPv6
add('http://[::1]/', 'http://[::1]:3000/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[0000:0000:0000:0000:0000:0000:0000:0001]/',
  'http://[::]/', 'http://[::0]/', 'http://[1::]/', 'http://[1:0::]/', 'http://[1:2:3:4:5:6:7:8]/', 'http://[1:2:3:4:5:6:7::]/',
  'http://[::2:3:4:5:6:7:8]/', 'http://[1:2:3:4:5:6:7:8:9]/', 'http://[1:2:3:4:5:6:7]/', 'http://[1::2::3]/',
  'http://[:1]/', 'http://[1:]/', 'http://[1:0:0:2:0:0:0:3]/', 'http://[1:0:0:0:2:0:0:3]/', 'http://[0:0:1:0:0:1:0:0]/',
  'http://[ABCD:EF01::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::1.2.3.4]/',
  'http://[::1.2.3.4x]', 'http://[::1.2.3.]', 'http://[::1.2.]', 'http://[::1.]', 'http://[::1.2.3.04]/',
  'http://[::1.2.3.256]/', 'http://[::1.2.3.4.5]/', 'http://[1:2:3:4:5:6:1.2.3.4]/', 'http://[1:2:3:4:5:6:7:1.2.3.4]/',
  'http://[12345::]/', 'http://[g::]/', 'http://[::1]x/', 'http://[::1/', 'http://::1]/', 'http://[www.google.com]/',
  'http://[google.com]', 'http://[::%31]/', 'http://[fe80::1%25eth0]/', 'http://[::1]:65535/', 'http://[::1]:65536/',
  'http://[ ::1]/', 'http://[\u00a0::1]/', 'http://[::1]]/', 'http://[[::1]/');

// ---- ports and authority delimiters
add('http://example.com:80/', 'https://example.com:443/', 'http://example.com:443/', 'https://example.com:80/',
  'http://example.com:/', 'http://example.com:0/', 'http://example.com:00080/', 'http://f:00000000000000000000080/c',
  'http://example.com:65535/', 'http://example.com:65536/', 'http://example.com:99999999999999999999/',
  'http://example.com:8o/', 'http://example.com: 80/', 'http://example.com:8 0/', 'http://example.com:\n80/',
  'http://example.com:-1/', 'http://example.com:+80/', 'http://example.com::80/', 'http://example.com:80:80/',
  'http://example.com:８０/', 'http://:80/', 'http://', 'https://', 'http:', 'http:/', 'http:///', 'http:////x/',
  'http:example.com', 'http:/example.com/', 'http:\\\\example.com\\page', 'http:\\/example.com/', 'http:/\\/\\example.com/',
  'https:example.com:443/x', 'HTTP://example.com', 'hTTpS://example.com', 'http://example.com\\@evil.example/',
  'http://example.com/\\@evil.example/', 'http://example.com?@evil.example/', 'http://example.com#@evil.example/',
  'http://example.com;@evil.example/', 'http://user:pass@example.com/', 'http://user@example.com/', 'http://@example.com/',
  'http://:@example.com/', 'http://:pass@example.com/', 'http://user:@example.com/', 'http://a@b@c/', 'http://@@@example',
  'https://@test@test@example:800/', 'http://::@c@d:2', 'http://&a:foo(b]c@d:2/', 'http://foo.com:b@d/',
  'http://paypal.com@evil.example/login', 'http://user@/', 'http://user@:80/', 'http://`{}:`{}@h/`{}?`{}',
  'http://foo:💩@example.com/bar', 'http://example.com%40evil.example/', 'http://exa mple.com/');

// ---- paths: dot segments, backslashes, reserved and unusual characters, non-ASCII
add('http://example.com', 'http://example.com/', 'http://example.com//', 'http://example.com/a//b', 'http://example.com/a/./b',
  'http://example.com/a/../b', 'http://example.com/../../a', 'http://example.com/a/..', 'http://example.com/a/.',
  'http://example.com/a/%2e/b', 'http://example.com/a/%2E%2e/b', 'http://example.com/a/.%2e/b', 'http://example.com/a/%2e./b',
  'http://example.com/a/%2e%2e', 'http://example.com/a/...', 'http://example.com/a/.../b', 'http://example.com/a/..b/c',
  'http://example.com/.a/', 'http://example.com/a/%2f/b', 'http://example.com/a\\b\\..\\c', 'http://example.com\\a\\b',
  'http://EXAMPLE.com/%2e%2E/a/./b/../c', 'http://example.com/a b', 'http://example.com/a%20b', 'http://example.com/a+b',
  'http://example.com/a\tb\nc\rd', 'http://example.com/\u0000\u0001\u001f\u007f\u0080\u009f', 'http://example.com/a"b<c>d',
  'http://example.com/a^b`c{d}e|f', 'http://example.com/a[b]c', 'http://example.com/a\'b', 'http://example.com/a;b=c,d',
  'http://example.com/a:b@c', 'http://example.com/~user/', 'http://example.com/a!$&()*', 'http://example.com/%',
  'http://example.com/%zz%', 'http://example.com/%4', 'http://example.com/%41%42', 'http://example.com/%c3%a9',
  'http://example.com/ü', 'http://example.com/stra\u00dfe', 'http://example.com/\u00e9t\u00e9', 'http://example.com/e\u0301',
  'http://example.com/日本語', 'http://example.com/💩', 'http://example.com/\ud800', 'http://example.com/\udc00x',
  'http://example.com/\ud800\udc00', 'http://example.com/\ufffd', 'http://example.com/\u200d\u00ad\u202e',
  'http://example.com/\u00a0\u2003\u3000', 'https://x/\ufffd?\ufffd#\ufffd', 'http://example.com/wiki/Ä#Ö',
  'https://en.wikipedia.org/wiki/URL_(disambiguation)', 'https://de.wikipedia.org/wiki/Stra%C3%9Fe',
  'https://example.com/a?b?c', 'http://f:21/ b ? d # e ', 'http://example.com/a%2F..%2Fb', 'http://example.com/a/%252e%252e/b');

// ---- queries
add('http://example.com/?', 'http://example.com?', 'http://example.com/?a=1&b=2', 'http://example.com/?q=a b',
  'http://example.com/?q=a+b', 'http://example.com/?q="x"<y>\'z\'', 'http://example.com/?q=`^{}|\\[]',
  'http://example.com/?q=%', 'http://example.com/?q=%zz', 'http://example.com/?q=ü&r=日本', 'http://example.com/?q=\u0000\u001f\u007f',
  'http://example.com/?q=\t\n', 'http://example.com/?q=/a/../b', 'http://example.com/?a?b', 'http://example.com/?email=someone@example.org',
  'http://host/?\'', 'http://example.com/?url=https://other.example/path?x=1#frag', 'http://example.com/?%E2%82%AC=€',
  'http://example.com/??', 'http://example.com/?#', 'http://example.com/?q=💩', 'http://example.com/?q=\ud800');

// ---- fragments
add('http://example.com/#', 'http://example.com#x', 'http://example.com/#a b', 'http://example.com/#a"b<c>d`e',
  'http://example.com/#a^b{c}d|e\\f\'g', 'http://example.com/##', 'http://example.com/#a#b', 'http://example.com/#/a/../b',
  'http://example.com/#?x', 'http://example.com/#%', 'http://example.com/#ü', 'http://example.com/#\u0000\u007f',
  'http://example.com/#\t\n', 'https://mail.google.com/mail/u/0/#inbox/FMfcgz', 'https://app.example/#/users/42?tab=x',
  'http://example.com/#:~:text=hello%20world', 'http://example.com/#💩');

// ---- surrounding whitespace and controls
add(' http://example.com/ ', '\t\nhttp://example.com/\r\n', '\u0000\u001b\u0004\u0012 http://example.com/\u001f \u000d ',
  'http://example\t.\norg', 'ht\ttp://example.com/', 'http:\n//example.com/', '\u00a0http://example.com/',
  'http://example.com/\u00a0', '\ufeffhttp://example.com/');

// ---- a seeded random walk through the pieces that trouble URL parsers
function random(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}
const next = random(20261130);
const pick = (list) => list[Math.floor(next() * list.length)];
const starts = ['http://', 'https://', 'HTTP://', 'http:', 'https:/', 'http:\\\\', 'http:///', ' http://', 'http://\t'];
// Mostly pieces of hosts that parse, so that most cases reach the path, query and fragment.
const hostPieces = ['a', 'B', 'z9', 'example', '.', 'com', '-', '_', 'xn--ls8h', 'xn--zca', 'ß', 'ς', 'Σ', 'ü', 'ｆ', 'Ａ',
  '。', '．', 'é', 'e\u0301', '日本', '💩', '0', '1', '127', '255', '0x7f', '09', '%41', '%2e', '~', '!', '*', '\u00ad', 'İ'];
const hostilePieces = ['..', 'xn--', '0x', '256', '4294967295', '[', ']', '::', ':1', '::ffff:1.2.3.4', '@', ':', '%',
  '%2E', '%zz', '%00', '%40', '%2F', '%E2%84%80', '%EF%BC%8F', '／', '℀', '㏂', '\u200d', '\u200c', '\u0301', 'ا', 'א',
  '١', '\ufffd', '\ud800', ' ', '\t', '\\', '#', '?', '/', '^', '|', '<', '"', '`', '{', '\u0000', '\u007f', '\u00a0',
  '\u3000'];
const restPieces = ['/', '\\', '.', '..', '%2e', '%2E%2e', 'a', 'Z', '?', '#', '&', '=', ' ', '"', '\'', '<', '>', '`', '^',
  '{', '}', '|', '[', ']', '@', ':', ';', '%', '%20', '%zz', '%c3%a9', 'é', 'ß', '日本', '💩', '\ud800', '\u0000', '\u001f', '\u007f',
  '\u0085', '\u00a0', '\u200d', '\u202e', '\t', '\n', '\r', '+', '~', '$', '!', '*', '(', ')', ','];
for (let i = 0; i < 1500; i++) {
  let text = pick(starts);
  const hostLength = 1 + Math.floor(next() * 6);
  for (let j = 0; j < hostLength; j++) {
    if (j > 0 && next() < 0.6) text += '.';
    text += pick(next() < 0.85 ? hostPieces : hostilePieces);
  }
  if (next() < 0.3) text += ':' + pick(['', '0', '80', '443', '8080', '65535', '65536', 'x', '08', '\t1']);
  const restLength = Math.floor(next() * 8);
  if (restLength > 0) text += pick(['/', '/', '/', '?', '#', '\\']);
  for (let j = 0; j < restLength; j++) text += pick(restPieces);
  add(text);
}

// ---- output
function escape(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (isHigh && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      out += text[i] + text[i + 1];
      i++;
      continue;
    }
    const ch = text[i];
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (isHigh || isLow || /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) || (/\p{Zs}/u.test(ch) && ch !== ' ')) {
      out += '\\u' + unit.toString(16).toUpperCase().padStart(4, '0');
    } else out += ch;
  }
  return out;
}

const seen = new Set();
const answer = (Parser, input) => {
  try {
    const url = new Parser(input);
    return { href: url.href, protocol: url.protocol };
  } catch (e) {
    return { href: 'FAIL', protocol: null };
  }
};
console.log('# How browsers read each long URL, by the WHATWG URL Standard: INPUT<TAB>HREF, FAIL where it is refused.');
console.log(`# Made by src/test/node/url-standard-table.mjs: whatwg-url ${standardVersion}`
  + ` (the Standard's reference implementation), and Node ${process.version}'s URL noted where it differs.`);
for (const input of cases) {
  if (seen.has(input)) continue;
  seen.add(input);
  const standard = answer(StandardURL, input);
  if (standard.protocol !== null && standard.protocol !== 'http:' && standard.protocol !== 'https:') continue; // refused by rule
  const node = answer(URL, input);
  const note = node.href === standard.href ? '' : '\tnode: ' + escape(node.href);
  console.log(escape(input) + '\t' + escape(standard.href) + note);
}
