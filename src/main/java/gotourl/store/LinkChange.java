package gotourl.store;

import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import java.util.Objects;

/** One change in a batch given to {@link LinkStore#apply}: a create, an edit, a delete, or new redirect rules. */
public sealed interface LinkChange {

    /** Creates a link from {@code draft} (or finds one, with {@link LinkDraft#findIfExists()}). */
    record Create(LinkDraft draft) implements LinkChange {
        public Create {
            Objects.requireNonNull(draft, "draft");
        }
    }

    /** Changes fields of the link under {@code shortCode}. */
    record Edit(String shortCode, LinkEdit edit) implements LinkChange {
        public Edit {
            Objects.requireNonNull(shortCode, "shortCode");
            Objects.requireNonNull(edit, "edit");
        }
    }

    /** Deletes the link under {@code shortCode}. */
    record Delete(String shortCode) implements LinkChange {
        public Delete {
            Objects.requireNonNull(shortCode, "shortCode");
        }
    }

    /**
     * Replaces the redirect rules of the link under {@code shortCode} with {@code rules} (the
     * whole list; {@link gotourl.link.RedirectRules#NONE} removes them), as Shlink's
     * {@code POST /short-urls/{shortCode}/redirect-rules}; its other fields stay as they are.
     */
    record SetRules(String shortCode, gotourl.link.RedirectRules rules) implements LinkChange {
        public SetRules {
            Objects.requireNonNull(shortCode, "shortCode");
            Objects.requireNonNull(rules, "rules");
        }
    }

    /** The short code this change names, or null for a create that has yet to get one. */
    default String shortCode() {
        return switch (this) {
            case Create create -> create.draft().customSlug();
            case Edit edit -> edit.shortCode();
            case Delete delete -> delete.shortCode();
            case SetRules set -> set.shortCode();
        };
    }
}
