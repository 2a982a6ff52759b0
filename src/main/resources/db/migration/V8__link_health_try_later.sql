-- A link check's verdict 'try-later': the site answered 429, or 503 with Retry-After, asking to
-- be asked again later, which says nothing of whether the page is there.
ALTER TABLE link_health DROP CONSTRAINT link_health_state_check,
    ADD CONSTRAINT link_health_state_check
        CHECK (state IN ('ok', 'redirected', 'client-error', 'server-error', 'unreachable', 'try-later'));
