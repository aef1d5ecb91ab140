package io.github.raaetl.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Utf8CheckTest {

    @TempDir
    Path dir;

    @Test
    void acceptsUtf8WithAndWithoutBom() throws Exception {
        Path p = dir.resolve("ok.csv");
        Files.writeString(p, "\uFEFFdeviceDisplayName\nCafé-PC 東京\n");
        assertThatCode(() -> Utf8Check.requireUtf8(Files.newInputStream(p))).doesNotThrowAnyException();
    }

    @Test
    void refusesLatin1WithOffsetAndLine() throws Exception {
        Path p = dir.resolve("latin1.csv");
        Files.write(p, "a,b\nCaf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(p))).isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("not UTF-8").hasMessageContaining("0xE9").hasMessageContaining("byte offset 7")
                .hasMessageContaining("line 2");
    }

    @Test
    void refusesUtf16EmptyAndBinary() throws Exception {
        // what Excel's "Unicode text" and PowerShell 5's Out-File write: UTF-16LE with its byte-order mark
        Path utf16 = dir.resolve("u16.csv");
        Files.write(utf16, "\uFEFFdeviceDisplayName,action\nCafé-PC,wipe\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(utf16))).hasMessageContaining("UTF-16")
                .hasMessageContaining("0xFF 0xFE");
        Path utf16be = dir.resolve("u16be.csv");
        Files.write(utf16be, "\uFEFFdeviceDisplayName,action\n".getBytes(StandardCharsets.UTF_16BE));
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(utf16be))).hasMessageContaining("UTF-16")
                .hasMessageContaining("0xFE 0xFF");
        // without a byte-order mark, UTF-16 text is ASCII with a NUL after every letter: not text
        Path noBom = dir.resolve("u16-no-bom.csv");
        Files.write(noBom, "deviceDisplayName,action\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(noBom))).hasMessageContaining("not text")
                .hasMessageContaining("NUL byte at byte offset 1");
        Path empty = dir.resolve("empty.csv");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(empty))).hasMessageContaining("empty");
        Path binary = dir.resolve("b.json");
        Files.write(binary, new byte[]{'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(binary))).hasMessageContaining("not text");
    }

    @Test
    void aNulByteIsReportedAtItsTrueOffsetAndLine() throws Exception {
        // far enough into the file to lie in the second read chunk, after multi-byte characters
        StringBuilder text = new StringBuilder("deviceDisplayName\n");
        for (int i = 0; i < 20_000; i++) {
            text.append("Caf\u00e9\n");
        }
        byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
        bytes[head.length] = 'x';
        bytes[head.length + 1] = 0;
        bytes[head.length + 2] = '\n';
        Path p = dir.resolve("nul.csv");
        Files.write(p, bytes);
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(p)))
                .hasMessage("the file is not text: NUL byte at byte offset " + (head.length + 1) + " (line 20002)");
    }

    @Test
    void anInvalidByteFarIntoTheFileIsReportedAtItsOffsetAndLine() throws Exception {
        byte[] head = "a\n".repeat(40_000).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xE9;
        bytes[head.length + 1] = '\n';
        Path p = dir.resolve("late.csv");
        Files.write(p, bytes);
        assertThatThrownBy(() -> Utf8Check.requireUtf8(Files.newInputStream(p)))
                .hasMessageContaining("invalid byte 0xE9 at byte offset " + head.length + " (line 40001)");
    }
}
