package io.understudy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.output.JsonOutput;
import io.understudy.cli.output.Table;
import io.understudy.cli.output.Table.Column;
import io.understudy.cli.output.Times;
import io.understudy.core.SecretFiles;
import io.understudy.core.UnderstudyException;
import io.understudy.core.api.PasswordChange;
import io.understudy.core.api.UserRequest;
import io.understudy.core.api.UserView;
import io.understudy.core.protocol.Secret;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code understudy user}: list, add and remove users, and set passwords. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = {
            "Lists, adds and removes users, and sets passwords.",
            "",
            "An admin may change everything; a viewer sees everything and changes nothing but their own password."
                    + " Only an admin lists, adds and removes users."
        },
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            UserCommand.ListCommand.class,
            UserCommand.Add.class,
            UserCommand.Remove.class,
            UserCommand.Passwd.class
        })
final class UserCommand extends CommandGroup {
    UserCommand() {}

    /** {@code understudy user list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the users: name, role, language, when added. Needs an admin.")
    static final class ListCommand extends ClientCommand {
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;

        ListCommand(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            JsonNode tree = client.usersJson();
            if (json) {
                out.print(JsonOutput.pretty(tree));
                return ExitCodes.OK;
            }
            List<UserView> users = Arrays.asList(ApiClient.read(tree, UserView[].class));
            Table table =
                    Table.of(Column.left("NAME"), Column.left("ROLE"), Column.left("LANGUAGE"), Column.left("ADDED"));
            for (UserView u : users) {
                table.row(
                        u.name(),
                        u.role(),
                        u.language() == null ? "browser's" : u.language(),
                        Times.local(u.createdAt(), context.clock().getZone()));
            }
            out.print(table.render());
            return ExitCodes.OK;
        }
    }

    /** {@code understudy user add NAME --role admin|viewer}. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Adds a user. The new user's password is asked twice on the console unless --new-password-file"
                        + " gives it. Needs an admin.",
                "",
                "Example:",
                "  understudy user add vera --role viewer"
            })
    static final class Add extends ClientCommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The login name: letters, digits, '.', '_', '@' and '-'.")
        String name = "";

        @Option(
                names = "--role",
                required = true,
                paramLabel = "admin|viewer",
                description = "admin: may change everything; viewer: sees everything, changes nothing.")
        String role = "";

        @Option(
                names = "--new-password-file",
                paramLabel = "FILE",
                description = "File whose first line is the new user's password (at least 8 characters).")
        @Nullable
        Path newPasswordFile;

        Add(CliContext context) {
            super(context);
        }

        @Override
        void validate() {
            if (!role.equals("admin") && !role.equals("viewer")) {
                throw new ParameterException(commandLine(), "--role must be admin or viewer, got '" + role + "'");
            }
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            Secret password = newPassword(context, newPasswordFile, name);
            try {
                client.addUser(new UserRequest(name, password, role));
            } catch (ApiException e) {
                throw namingTheField(e, Map.of("name", "NAME", "password", "the password", "role", "--role")::get);
            }
            out.println("Added user " + name + " (role " + role + ").");
            return ExitCodes.OK;
        }
    }

    /** {@code understudy user remove NAME}. */
    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = {
                "Removes a user; its sessions end at once. Needs an admin, who cannot remove their own user.",
            })
    static final class Remove extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
        String name = "";

        Remove(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            client.removeUser(name);
            out.println("Removed user " + name + ".");
            return ExitCodes.OK;
        }
    }

    /** {@code understudy user passwd [NAME]}. */
    @Command(
            name = "passwd",
            mixinStandardHelpOptions = true,
            description = {
                "Sets a password: your own (without NAME), or, as an admin, another user's. Your current password"
                        + " confirms it is you; it is asked on the console unless --current-password-file gives it,"
                        + " and so is the new one unless --new-password-file gives it. The user's other sessions"
                        + " end."
            })
    static final class Passwd extends ClientCommand {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "NAME",
                description = "The user whose password to set; yours when left out.")
        @Nullable
        String name;

        @Option(
                names = "--current-password-file",
                paramLabel = "FILE",
                description = "File whose first line is your own current password.")
        @Nullable
        Path currentPasswordFile;

        @Option(
                names = "--new-password-file",
                paramLabel = "FILE",
                description = "File whose first line is the new password (at least 8 characters).")
        @Nullable
        Path newPasswordFile;

        Passwd(CliContext context) {
            super(context);
        }

        @Override
        int run(ApiClient client, PrintWriter out) {
            String me = client.session().user();
            String user = name != null ? name : me;
            Secret current = currentPasswordFile != null
                    ? read(currentPasswordFile, "--current-password-file")
                    : ask(context, "Your current password (" + me + "): ");
            Secret password = newPassword(context, newPasswordFile, user);
            try {
                client.changePassword(user, new PasswordChange(current, password));
            } catch (ApiException e) {
                throw namingTheField(
                        e, Map.of("currentPassword", "your current password", "password", "the new password")::get);
            }
            out.println("Password of " + user + " set" + (user.equals(me) ? "; your other sessions ended." : "."));
            return ExitCodes.OK;
        }
    }

    /** The new password: from {@code file}, or typed twice on the console. */
    static Secret newPassword(CliContext context, @Nullable Path file, String user) {
        if (file != null) {
            return read(file, "--new-password-file");
        }
        Secret first = ask(context, "New password for " + user + ": ");
        Secret again = ask(context, "New password again: ");
        if (!first.reveal().equals(again.reveal())) {
            throw new CliException(ExitCodes.USAGE, "the two passwords differ; nothing was changed");
        }
        return first;
    }

    private static Secret ask(CliContext context, String prompt) {
        Secret typed = Connection.askSecret(context.prompt(), prompt);
        if (typed == null) {
            throw new CliException(ExitCodes.USAGE, "no console to ask for a password: give it in a file (see --help)");
        }
        return typed;
    }

    private static Secret read(Path file, String flag) {
        try {
            return SecretFiles.readFirstLine(file, "password");
        } catch (UnderstudyException e) {
            throw new CliException(ExitCodes.USAGE, flag + ": " + e.getMessage(), e);
        }
    }
}
