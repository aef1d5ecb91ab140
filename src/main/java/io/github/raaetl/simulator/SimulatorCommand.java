package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.graph.WriteBudget;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator on its own until killed, e.g. for a benchmark that must not share the loader's heap:
 * {@code java -cp remote-action-audit-etl.jar io.github.raaetl.simulator.GraphSimulator [--port N] [--latency-ms N]
 * [--jitter-ms N] [--write-quota WRITES/WINDOW] [--throttle-percent N] [--error-percent N] [--lost-answer-percent N]
 * [--reset-percent N] [--retry-after-seconds S] [--grant-permission false] [--seed-records N]} (false: its tokens lack
 * the application permission, and Graph answers them 403, as for an app registration without admin consent; N: a
 * source tenant holding N records, for an export). Prints the environment variables that point the loader at it (the
 * credentials are the simulator's own, generated per start).
 */
final class SimulatorCommand {

    private SimulatorCommand() {
    }

    /** {@code n} audit records of a plausible tenant: wipes, locks and retires of a few thousand devices over a year. */
    private static void seed(GraphSimulator sim, int n) {
        ObjectMapper json = new ObjectMapper();
        String[] actions = {"factoryReset", "remoteLock", "removeCompanyData", "rebootNow", "rotateBitLockerKeys"};
        String[] states = {"done", "done", "done", "failed", "pending"};
        Instant first = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            ObjectNode e = json.createObjectNode();
            e.put("action", actions[i % actions.length]);
            e.put("actionState", states[(i / 5) % states.length]);
            e.put("deviceDisplayName", String.format("CONTOSO-LT-%05d", i % 4000));
            e.put("deviceActionCategory", "single");
            e.put("initiatedByUserPrincipalName", "admin" + (i % 7) + "@contoso.example");
            e.put("deviceOwnerUserPrincipalName", "user" + (i % 4000) + "@contoso.example");
            e.put("requestDateTime", first.plusSeconds(1577L * i).toString());
            sim.seed(String.format("5e5e5e5e-0000-4000-8000-%012d", i), e);
        }
    }

    static void main(String[] args) throws Exception {
        int port = 0;
        long latency = 0;
        long jitter = 0;
        String quota = null;
        int throttle = 0;
        int errors = 0;
        int lost = 0;
        int resets = 0;
        String retryAfter = "1";
        boolean grant = true;
        int seed = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--latency-ms" -> latency = Long.parseLong(args[i + 1]);
                case "--jitter-ms" -> jitter = Long.parseLong(args[i + 1]);
                case "--write-quota" -> quota = args[i + 1];
                case "--throttle-percent" -> throttle = Integer.parseInt(args[i + 1]);
                case "--error-percent" -> errors = Integer.parseInt(args[i + 1]);
                case "--lost-answer-percent" -> lost = Integer.parseInt(args[i + 1]);
                case "--reset-percent" -> resets = Integer.parseInt(args[i + 1]);
                case "--retry-after-seconds" -> retryAfter = args[i + 1];
                case "--grant-permission" -> grant = Boolean.parseBoolean(args[i + 1]);
                case "--seed-records" -> seed = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        GraphSimulator sim = GraphSimulator.start(GraphSimulator.Options.defaults().withLatency(latency), port);
        sim.setJitterMillis(jitter);
        sim.grantPermission(grant);
        seed(sim, seed);
        WriteBudget.Quota q = WriteBudget.Quota.parse(quota); // the loader's own form: 200/20s
        if (q != null) {
            sim.setWriteQuota(q.writes(), q.window());
        }
        sim.faults().random(throttle, errors, retryAfter).lostAnswers(lost).resets(resets);
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
        System.out.println("GRAPH_BASE_URL=" + sim.graphBaseUrl());
        System.out.println("GRAPH_LOGIN_URL=" + sim.loginUrl());
        System.out.println("GRAPH_TENANT_ID=" + sim.tenantId());
        System.out.println("GRAPH_CLIENT_ID=" + sim.clientId());
        System.out.println("GRAPH_CLIENT_SECRET=" + sim.clientSecret());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
