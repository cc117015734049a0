package io.understudy.engine.postgresql;

import java.nio.file.Path;

/**
 * The two small POSIX shell scripts of WAL shipping, written into a database's shipping directory,
 * so that PostgreSQL's once-per-segment commands never start a JVM:
 *
 * <ul>
 *   <li>{@value #ARCHIVE} (the primary's {@code archive_command}): hands the WAL file to the agent
 *       of its host over loopback HTTP with {@code curl}, with the token of the file-transfer
 *       channel read from a file (never on a command line); it exits 0 only when the agent answers
 *       that the standby's host stored the file durably. Otherwise PostgreSQL keeps the file and
 *       retries it: nothing is lost.
 *   <li>{@value #RESTORE} (the standby's {@code restore_command}, {@code archive_cleanup_command}
 *       and {@code recovery_end_command}), pg_standby's way: waits for the next segment until it is
 *       in the archive (a file is only ever there complete and checked: it is renamed into place);
 *       answers "not found" at once for a history file it lacks, and once for a segment PostgreSQL
 *       holds in {@code pg_wal} already (so it reads it from there first), and when a newer
 *       timeline's history file arrives (so that it follows the new primary); stops waiting when the end of
 *       recovery is asked for ({@value WalArchive#END_RECOVERY}: {@code smart} restores what is
 *       there, a {@code .partial} segment last, {@code fast} nothing more), or when the server that
 *       called it is gone; removes the segments before the restart point {@code %r}, as
 *       pg_archivecleanup does, and never one after.
 * </ul>
 */
final class ShippingScripts {
    static final String ARCHIVE = "archive-wal";
    static final String RESTORE = "restore-wal";
    /** Where the archive script reaches its agent: {@code http://HOST:PORT/api/v1/shipping/NAME}. */
    static final String AGENT_URL = "agent-url";
    /** The header with the channel's token, {@code Authorization: Bearer ...}; mode 600. */
    static final String AGENT_HEADER = "agent-header";

    private ShippingScripts() {}

    static String archiveScript() {
        return """
                #!/bin/sh
                # Understudy's archive_command: archive-wal %%f
                # Hands the WAL file to this host's agent, which ships it to the standby's agent; exits 0
                # only once the standby's host has stored it durably. On failure PostgreSQL keeps the file
                # and calls again: nothing is lost. Written by the agent; changes are overwritten.
                dir=$(dirname "$0")
                case "$1" in
                  ''|*/*|.*) echo "understudy archive-wal: not a WAL file name: '$1'" >&2; exit 2 ;;
                esac
                url=$(cat "$dir/%s") || exit 1
                exec curl --silent --show-error --fail-with-body --connect-timeout 5 --max-time 900 \\
                  --request POST --header @"$dir/%s" --data-binary '' "$url/archive/$1"
                """
                .formatted(AGENT_URL, AGENT_HEADER);
    }

    static String restoreScript() {
        return """
                #!/bin/sh
                # Understudy's waiting restore_command, pg_standby's way:
                #   restore-wal %%f %%p          restore_command
                #   restore-wal --cleanup %%r    archive_cleanup_command
                #   restore-wal --ended         recovery_end_command
                # Written by the agent; changes are overwritten.
                dir=$(dirname "$0")
                archive="$dir/%1$s"
                trigger="$dir/%2$s"
                note() { printf '%%s\\n' "$2" > "$dir/$1.tmp" && mv -f "$dir/$1.tmp" "$dir/$1"; }
                case "$1" in
                  --cleanup)
                    # Remove the segments before the restart point, ignoring the timeline as
                    # pg_archivecleanup does; history files stay.
                    case "$2" in ''|*/*|.*) exit 2 ;; esac
                    keep=$(printf '%%s' "$2" | cut -c9-24)
                    ls "$archive" | awk -v keep="$keep" '
                      length($0) >= 24 && substr($0, 1, 24) ~ /^[0-9A-F]+$/ &&
                      (length($0) == 24 || substr($0, 25) == ".partial") &&
                      substr($0, 9, 16) < keep' |
                    while IFS= read -r old; do rm -f "$archive/$old"; done
                    exit 0 ;;
                  --ended)
                    rm -f "$trigger" "$dir/%3$s" "$dir/%4$s" "$dir/%5$s" "$dir/%6$s"
                    exit 0 ;;
                esac
                f="$1"; p="$2"
                case "$f" in ''|*/*|.*) exit 2 ;; esac
                case "$f" in
                  *.history|*.backup)
                    # Never wait for a history file: "not found" at once when it is not there.
                    [ -f "$archive/$f" ] || exit 1
                    exec cp "$archive/$f" "$p" ;;
                esac
                # A segment PostgreSQL holds in pg_wal already (copied by the base backup, or restored
                # before a restart) is read from there first: "not found" once; the next request for it
                # (its end was not there) waits for it here.
                if [ -f "pg_wal/$f" ] && [ "$(cat "$dir/%6$s" 2>/dev/null)" != "$f" ]; then
                  note %6$s "$f"
                  exit 1
                fi
                # What was restored before this request has been replayed to its end.
                served=$(cat "$dir/%3$s" 2>/dev/null)
                if [ -n "$served" ] && [ "$served" != "$f" ]; then note %4$s "$served"; fi
                note %5$s "$f"
                parent=$PPID
                timeline=$(printf '%%s' "$f" | cut -c1-8)
                while :; do
                  mode=$(cat "$trigger" 2>/dev/null)
                  [ "$mode" = fast ] && exit 1
                  if [ -f "$archive/$f" ]; then
                    cp "$archive/$f" "$p" || exit 1
                    note %3$s "$f"
                    exit 0
                  fi
                  if [ "$mode" = smart ]; then
                    # Everything received is restored; a partial last segment goes last.
                    [ -f "$archive/$f.partial" ] || exit 1
                    cp "$archive/$f.partial" "$p" || exit 1
                    note %3$s "$f"
                    exit 0
                  fi
                  # A newer timeline is here (the primary role moved): "not found", so that PostgreSQL
                  # looks for its history file and follows it.
                  for history in "$archive"/*.history; do
                    [ -f "$history" ] || continue
                    newer=$(basename "$history" .history)
                    [ "$(expr "$newer" \\> "$timeline")" = 1 ] && exit 1
                  done
                  # The server gave up on us (it stops): end, never linger.
                  if [ -d /proc/self ]; then [ -d "/proc/$parent" ] || exit 1
                  else kill -0 "$parent" 2>/dev/null || exit 1; fi
                  sleep 0.1 2>/dev/null || sleep 1
                done
                """
                .formatted(
                        WalArchive.ARCHIVE,
                        WalArchive.END_RECOVERY,
                        WalArchive.SERVED,
                        WalArchive.APPLIED,
                        WalArchive.REQUESTED,
                        WalArchive.DEFERRED);
    }

    /** {@code archive_command} for the shipping directory {@code dir}. */
    static String archiveCommand(Path dir) {
        return quote(dir.resolve(ARCHIVE).toString()) + " %f";
    }

    static String restoreCommand(Path dir) {
        return quote(dir.resolve(RESTORE).toString()) + " %f %p";
    }

    static String cleanupCommand(Path dir) {
        return quote(dir.resolve(RESTORE).toString()) + " --cleanup %r";
    }

    static String recoveryEndCommand(Path dir) {
        return quote(dir.resolve(RESTORE).toString()) + " --ended";
    }

    /** Whether {@code command} is an archive_command Understudy wrote. */
    static boolean isOurs(String command) {
        return command.contains(".wal-shipping/" + ARCHIVE + "'");
    }

    /** {@code text} as one word for the shell, in single quotes. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
