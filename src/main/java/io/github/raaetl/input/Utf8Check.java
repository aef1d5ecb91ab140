package io.github.raaetl.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a whole file is UTF-8 before any record is sent, so that an Excel "ANSI" export is refused
 * as a whole instead of being half delivered. One streaming pass with a small buffer; no JDK or
 * library call reports the byte offset and line of the first bad sequence, hence this class.
 */
public final class Utf8Check {

    private Utf8Check() {
    }

    public static void requireUtf8(Path file) throws IOException, UnreadableFileException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length == 0) {
                throw new UnreadableFileException("the file is empty");
            }
            if (head.length >= 2 && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
                    || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF))) {
                throw new UnreadableFileException("the file is UTF-16 encoded (byte-order mark " + hex(head[0]) + " "
                        + hex(head[1]) + "); save it as UTF-8 and drop it again");
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
            CharBuffer chars = CharBuffer.allocate(64 * 1024);
            bytes.put(head);
            long consumed = 0;
            long line = 1;
            boolean eof = false;
            while (true) {
                if (!eof) {
                    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    if (n < 0) {
                        eof = true;
                    } else {
                        bytes.position(bytes.position() + n);
                    }
                }
                bytes.flip();
                int before = bytes.position();
                CoderResult result = decoder.decode(bytes, chars, eof);
                consumed += bytes.position() - before;
                chars.flip();
                for (int i = 0; i < chars.limit(); i++) {
                    if (chars.get(i) == '\n') {
                        line++;
                    }
                    if (chars.get(i) == '\0') {
                        throw new UnreadableFileException("the file is not text (NUL byte near byte offset "
                                + consumed + ", line " + line + ")");
                    }
                }
                chars.clear();
                if (result.isError()) {
                    int bad = bytes.get(bytes.position()) & 0xFF;
                    throw new UnreadableFileException("the file is not UTF-8: invalid byte 0x"
                            + Integer.toHexString(bad).toUpperCase() + " at byte offset " + consumed + " (line " + line
                            + "); save it as UTF-8 and drop it again");
                }
                bytes.compact();
                if (eof && bytes.position() == 0) {
                    return;
                }
                if (eof && result.isUnderflow()) {
                    throw new UnreadableFileException("the file is not UTF-8: it ends inside a multi-byte character");
                }
            }
        }
    }

    private static String hex(byte b) {
        return String.format("0x%02X", b & 0xFF);
    }
}
