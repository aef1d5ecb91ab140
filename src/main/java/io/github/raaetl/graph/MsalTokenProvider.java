package io.github.raaetl.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.raaetl.support.Secrets;
import io.github.raaetl.support.Text;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Client-credential tokens from Entra ID through Microsoft's own library, MSAL4J: used for every https login
 * URL (the public cloud and the national clouds). The token is kept here until 5 minutes before it expires
 * (MSAL's own rule) rather than left to MSAL's cache alone, which was seen to miss every time against a local
 * https server; after a 401 from Graph the next call skips both.
 *
 * <p>MSAL refuses authorities that are not https, so a token endpoint on {@code http://127.0.0.1} (the embedded
 * simulator, the tests) is served by {@link ClientCredentialsTokenProvider} instead.
 */
public final class MsalTokenProvider implements TokenProvider {

    private final ConfidentialClientApplication app;
    private final String authority;
    private final String clientId;
    private final Set<String> scopes;
    private final Duration timeout;
    private final Clock clock;
    /** "secret", or the certificate's subject: said in the log, never the credential itself. */
    private final String credentialName;
    private String token;
    private Instant refreshAt = Instant.MIN;
    private boolean skipCacheNext;

    /**
     * @param tls sockets for the token endpoint, or null for the JVM's (which honour javax.net.ssl.trustStore);
     *            tests pass ones that trust a throwaway certificate
     */
    public MsalTokenProvider(String loginUrl, String tenantId, String clientId, String clientSecret, String scope,
                             Duration timeout, SSLSocketFactory tls, Clock clock) {
        this(loginUrl, tenantId, clientId, secret(clientSecret), "secret", scope, timeout, tls, clock);
    }

    /**
     * With the app registration's certificate instead of a secret: MSAL signs a client assertion with its key.
     *
     * @param tls as for a secret
     */
    public static MsalTokenProvider withCertificate(String loginUrl, String tenantId, String clientId,
                                                    ClientCertificate certificate, String scope, Duration timeout,
                                                    SSLSocketFactory tls, Clock clock) {
        return new MsalTokenProvider(loginUrl, tenantId, clientId, ClientCredentialFactory.createFromCertificate(
                certificate.key(), certificate.certificate()), "certificate " + certificate.certificate()
                .getSubjectX500Principal().getName(), scope, timeout, tls, clock);
    }

    private static IClientCredential secret(String clientSecret) {
        Secrets.register(clientSecret);
        return ClientCredentialFactory.createFromSecret(clientSecret);
    }

    private MsalTokenProvider(String loginUrl, String tenantId, String clientId, IClientCredential credential,
                              String credentialName, String scope, Duration timeout, SSLSocketFactory tls, Clock clock) {
        this.credentialName = credentialName;
        String login = loginUrl.endsWith("/") ? loginUrl.substring(0, loginUrl.length() - 1) : loginUrl;
        this.authority = login + "/" + tenantId + "/";
        this.clientId = clientId;
        this.scopes = Set.of(scope);
        this.timeout = timeout;
        this.clock = clock;
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                .builder(clientId, credential)
                .connectTimeoutForDefaultHttpClient(millis)
                .readTimeoutForDefaultHttpClient(millis)
                .logPii(false);
        if (isLoopback(URI.create(login).getHost())) {
            // a local test server is not a Microsoft cloud: do not ask login.microsoftonline.com about it
            builder.instanceDiscovery(false).validateAuthority(false);
        }
        if (tls != null) {
            builder.sslSocketFactory(tls);
        }
        try {
            this.app = builder.authority(authority).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new GraphAuthException("graph.login-url: '" + loginUrl + "' is not a usable authority: " + Text.describe(e));
        }
    }

    @Override
    public synchronized String token() {
        if (token != null && !skipCacheNext && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(scopes)
                .skipCache(skipCacheNext).build();
        try {
            // MSAL bounds each request by the timeouts above; this bounds the whole call (retries included)
            IAuthenticationResult result = app.acquireToken(parameters)
                    .get(2 * timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            token = result.accessToken();
            Secrets.register(token);
            refreshAt = TokenProvider.refreshAt(clock.instant(), result.expiresOnDate().toInstant());
            skipCacheNext = false;
            return token;
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (TimeoutException e) {
            throw new TransientGraphException(null, "token endpoint at " + authority + " did not answer in time", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientGraphException(null, "interrupted while fetching a token");
        }
    }

    @Override
    public synchronized boolean invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            skipCacheNext = true;
        }
        return true;
    }

    /** Entra's answer (AADSTS code and text) or the network problem; MSAL's messages never hold the secret. */
    private RuntimeException translate(Throwable cause) {
        if (cause instanceof MsalServiceException s) {
            Integer status = s.statusCode();
            String what = " (" + status + "): " + s.errorCode() + " - " + firstLine(s.getMessage());
            if (status == null || status == 429 || status >= 500) {
                return new TransientGraphException(null, "token endpoint at " + authority + " answered" + what);
            }
            return new GraphAuthException("token endpoint at " + authority + " refused client " + clientId + what);
        }
        if (cause instanceof MsalClientException c && c.getCause() instanceof IOException io) {
            return new TransientGraphException(null, "token endpoint at " + authority + " unreachable: " + io, true);
        }
        return new GraphAuthException("cannot get a token from " + authority + " for client " + clientId + ": "
                + (cause == null ? "unknown error" : firstLine(cause.toString())));
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
    }

    @Override
    public String toString() {
        return "client credentials (" + credentialName + ") for client " + clientId + " via MSAL4J from " + authority;
    }
}
