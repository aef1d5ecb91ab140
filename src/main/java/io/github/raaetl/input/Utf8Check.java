package io.github.raaetl.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a whole file is UTF-8 text before any record is sent, so that an Excel "ANSI" export or a binary file is
 * refused as a whole instead of being half delivered. One streaming pass with a small buffer; no JDK or library
 * call reports the byte offset and line of the first bad byte, hence this class. Offsets and lines are counted on
 * the bytes themselves (in UTF-8 a NUL or a line feed byte is always that character).
 */
public final class Utf8Check {

    private static final int CHUNK = 64 * 1024;

    private Utf8Check() {
    }

    public static void requireUtf8(InputStream in) throws IOException, UnreadableFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK + 8);
        CharBuffer chars = CharBuffer.allocate(CHUNK + 8);
        long offset = 0; // file offset of bytes.array()[0]
        long line = 1;   // line of the next byte not yet scanned for NUL and line feeds
        int scanned = 0; // bytes of the buffer already scanned
        boolean eof = false;
        boolean any = false;
        while (true) {
            if (!eof) {
                int n = in.read(bytes.array(), bytes.position(), bytes.limit() - bytes.position());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                    any |= n > 0;
                }
            }
            if (!any) {
                throw new UnreadableFileException("the file is empty");
            }
            byte[] a = bytes.array();
            if (offset == 0 && scanned == 0 && bytes.position() >= 2
                    && ((a[0] == (byte) 0xFF && a[1] == (byte) 0xFE) || (a[0] == (byte) 0xFE && a[1] == (byte) 0xFF))) {
                throw new UnreadableFileException("the file is UTF-16 encoded (byte-order mark " + hex(a[0]) + " "
                        + hex(a[1]) + "); save it as UTF-8 and drop it again");
            }
            for (; scanned < bytes.position(); scanned++) {
                if (a[scanned] == 0) {
                    throw new UnreadableFileException("the file is not text: NUL byte at byte offset "
                            + (offset + scanned) + " (line " + line + ")");
                }
                if (a[scanned] == '\n') {
                    line++;
                }
            }
            bytes.flip();
            CoderResult result = decoder.decode(bytes, chars, eof);
            chars.clear();
            if (result.isError()) {
                long at = offset + bytes.position();
                throw new UnreadableFileException("the file is not UTF-8: invalid byte 0x"
                        + Integer.toHexString(bytes.get(bytes.position()) & 0xFF).toUpperCase() + " at byte offset " + at
                        + " (line " + lineAt(a, bytes.position(), line, scanned) + "); save it as UTF-8 and drop it again");
            }
            int consumed = bytes.position();
            bytes.compact();
            offset += consumed;
            scanned -= consumed;
            if (eof && bytes.position() == 0) {
                return;
            }
            if (eof && result.isUnderflow()) {
                throw new UnreadableFileException("the file is not UTF-8: it ends inside a multi-byte character");
            }
        }
    }

    /** The line of buffer index {@code at}, given the line after {@code scanned} bytes. */
    private static long lineAt(byte[] a, int at, long lineAfterScanned, int scanned) {
        long line = lineAfterScanned;
        for (int i = at; i < scanned; i++) {
            if (a[i] == '\n') {
                line--;
            }
        }
        return line;
    }

    private static String hex(byte b) {
        return String.format("0x%02X", b & 0xFF);
    }
}
