-- A link's redirect rules (Shlink 4's, POST /short-urls/{shortCode}/redirect-rules), the whole
-- ordered list as JSON text: [{"longUrl": URL, "conditions": [{"type", "matchKey", "matchValue"}]}],
-- the first rule being priority 1. Null for a link without rules. A row holds them as it holds
-- every other field of its link, so a change of them is a change of the row (change_seq) that the
-- other nodes follow; a delete forgets them with the link.
ALTER TABLE short_urls ADD COLUMN redirect_rules text;
