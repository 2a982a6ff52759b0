package gotourl.apikey;

/** No API key has the id or name asked for (a disable of a key that does not exist). */
public final class ApiKeyNotFoundException extends RuntimeException {
    private final String idOrName;

    public ApiKeyNotFoundException(String idOrName) {
        super("no API key has the id or name '" + idOrName + "'; goto api-key list shows them");
        this.idOrName = idOrName;
    }

    /** The id or name that matched no key. */
    public String idOrName() {
        return idOrName;
    }
}
