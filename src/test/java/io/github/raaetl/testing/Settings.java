package io.github.raaetl.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Settings for one route test, as key/value pairs on top of the kit's: {@code @Settings({"graph.max-attempts", "2"})}. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Settings {
    String[] value();
}
