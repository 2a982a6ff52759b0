/**
 * How goto creates the files that hold links, visits, keys or what is derived from them: the data
 * file and everything beside it ({@code FILE.image}, {@code FILE.visits/}, {@code FILE.health},
 * the temporary files of compaction, repair and upgrade), exports and reports, the access log.
 * {@link gotourl.files.OwnerOnly} creates each one readable by its owner alone (files 0600,
 * directories 0700) at the moment it is made, whatever the umask, and says at start when a data
 * file an older goto made is readable by others.
 *
 * <p>May use: the JDK. Used by every package that writes such a file.
 */
package gotourl.files;
