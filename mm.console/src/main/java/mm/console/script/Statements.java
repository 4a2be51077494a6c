package mm.console.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Gogo program into statements, so that a failing one can be named with its line: at
 * {@code ;} and line ends outside quotes and brackets; {@code #} starts a comment at the start of a
 * statement; a backslash at a line's end continues it.
 */
final class Statements {

    /** One statement and the line it starts on (1-based). */
    record Statement(String text, int line) {
    }

    private Statements() {
    }

    /**
     * @throws IllegalArgumentException for an unclosed quote or bracket, naming where it opened
     */
    static List<Statement> split(String program) {
        List<Statement> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = 1;
        int startLine = 1;
        char quote = 0;
        int quoteLine = 0;
        StringBuilder brackets = new StringBuilder();
        List<Integer> bracketLines = new ArrayList<>();
        int n = program.length();
        for (int i = 0; i < n; i++) {
            char c = program.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && quote == '"' && i + 1 < n) {
                    cur.append(program.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                if (c == '\n') {
                    line++;
                }
                continue;
            }
            if (c == '\\' && i + 1 < n && program.charAt(i + 1) == '\n') {
                i++;
                line++;
                cur.append(' ');
                continue;
            }
            if (c == '#' && brackets.length() == 0 && cur.toString().isBlank()) {
                while (i < n && program.charAt(i) != '\n') {
                    i++;
                }
                i--;
                continue;
            }
            boolean end = brackets.length() == 0 && (c == ';' || c == '\n');
            if (end) {
                add(out, cur, startLine);
                if (c == '\n') {
                    line++;
                }
                startLine = line;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (cur.toString().isBlank() && !Character.isWhitespace(c)) {
                startLine = line;
            }
            switch (c) {
                case '\'', '"' -> {
                    quote = c;
                    quoteLine = line;
                }
                case '(', '{', '[' -> {
                    brackets.append(c);
                    bracketLines.add(line);
                }
                case ')', '}', ']' -> {
                    char open = c == ')' ? '(' : c == '}' ? '{' : '[';
                    if (brackets.length() == 0 || brackets.charAt(brackets.length() - 1) != open) {
                        throw new IllegalArgumentException("line " + line + ": '" + c + "' closes nothing");
                    }
                    brackets.setLength(brackets.length() - 1);
                    bracketLines.remove(bracketLines.size() - 1);
                }
                default -> { }
            }
            cur.append(c);
        }
        if (quote != 0) {
            throw new IllegalArgumentException("line " + quoteLine + ": the quote " + quote + " is never closed");
        }
        if (brackets.length() > 0) {
            throw new IllegalArgumentException("line " + bracketLines.get(bracketLines.size() - 1) + ": '"
                    + brackets.charAt(brackets.length() - 1) + "' is never closed");
        }
        add(out, cur, startLine);
        return out;
    }

    private static void add(List<Statement> out, StringBuilder cur, int line) {
        String text = cur.toString().strip();
        if (!text.isEmpty()) {
            out.add(new Statement(text, line));
        }
        cur.setLength(0);
    }
}
