package io.github.raaetl;

import io.github.raaetl.EtlSettings.InvalidSettingException;
import org.apache.camel.spi.PropertiesComponent;

import java.util.Optional;

/** Reads settings from Camel's properties, each checked with a message that names the property. */
record SettingsReader(PropertiesComponent pc) {
    String text(String key) {
        return pc.resolveProperty(key).map(String::trim).orElseThrow(() -> new InvalidSettingException(key
                + " has no value: its default belongs in application.properties"));
    }

    /** A setting with no default: absent unless configured (an empty value is a mistake, not "unset"). */
    Optional<String> optional(String key) {
        Optional<String> v = pc.resolveProperty(key).map(String::trim);
        if (v.isPresent() && v.get().isEmpty()) {
            throw new InvalidSettingException(key + " is set but empty; remove it to leave it unset");
        }
        return v;
    }

    long longValue(String key, long min) {
        String v = text(key);
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new InvalidSettingException(key + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key + " must be a whole number, got '" + v + "'");
        }
    }

    int integer(String key, int min) {
        long n = longValue(key, min);
        if (n > Integer.MAX_VALUE) {
            throw new InvalidSettingException(key + " must be at most " + Integer.MAX_VALUE + ", got " + n);
        }
        return (int) n;
    }

    double decimal(String key, double min) {
        String v = text(key);
        try {
            double d = Double.parseDouble(v);
            if (d < min || Double.isNaN(d)) {
                throw new InvalidSettingException(key + " must be at least " + min + ", got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key + " must be a number, got '" + v + "'");
        }
    }

    boolean bool(String key) {
        String v = text(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new InvalidSettingException(key + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
