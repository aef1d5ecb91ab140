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
        assertThatCode(() -> Utf8Check.requireUtf8(p)).doesNotThrowAnyException();
    }

    @Test
    void refusesLatin1WithOffsetAndLine() throws Exception {
        Path p = dir.resolve("latin1.csv");
        Files.write(p, "a,b\nCaf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Utf8Check.requireUtf8(p)).isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("not UTF-8").hasMessageContaining("0xE9").hasMessageContaining("byte offset 7")
                .hasMessageContaining("line 2");
    }

    @Test
    void refusesUtf16EmptyAndBinary() throws Exception {
        Path utf16 = dir.resolve("u16.csv");
        Files.write(utf16, "a,b\n".getBytes(StandardCharsets.UTF_16LE));
        Files.write(utf16, new byte[]{(byte) 0xFF, (byte) 0xFE, 'a', 0});
        assertThatThrownBy(() -> Utf8Check.requireUtf8(utf16)).hasMessageContaining("UTF-16");
        Path empty = dir.resolve("empty.csv");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Utf8Check.requireUtf8(empty)).hasMessageContaining("empty");
        Path binary = dir.resolve("b.json");
        Files.write(binary, new byte[]{'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> Utf8Check.requireUtf8(binary)).hasMessageContaining("not text");
    }
}
