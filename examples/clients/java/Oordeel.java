// A Java client of `meldcode-rules serve`, with only the JDK (java.net.http, Java 11+).
// Run it as a single-file program (Java 17):
//
//     java examples/clients/java/Oordeel.java http://127.0.0.1:8000 examples/clients/acuut-eerder-gemeld.json
//
// It posts the case to POST /v1/oordeel and prints the judgement: melden, besluit, stap and the
// action codes, or the Dutch problem document (RFC 9457) and exit code 1. With MELDCODE_TOKEN
// set it sends that bearer token (required when the service listens beyond loopback).
// A real client reads the JSON with a library (Jackson, JSON-B); the JDK has none, so this
// example picks the few fields it prints with a pattern.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Oordeel {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("gebruik: java Oordeel.java BASIS-URL CASUS.json");
            System.exit(2);
        }
        String body = Files.readString(Path.of(args[1]));
        // HTTP/1.1: for an http:// URL Java's default (HTTP/2) first asks to upgrade (h2c), which
        // uvicorn does not do; over https:// the version is agreed in the TLS handshake instead.
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(args[0] + "/v1/oordeel"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String token = System.getenv("MELDCODE_TOKEN");
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.err.println("fout " + response.statusCode() + ": " + response.body());
            System.exit(1);
        }
        String json = response.body();
        System.out.println("melden: " + field(json, "melden"));
        System.out.println("besluit: " + field(json, "besluit"));
        System.out.println("stap: " + number(json, "stap"));
        System.out.println("referentie: " + field(json, "referentie"));
        List<String> codes = new ArrayList<>();
        Matcher matcher = Pattern.compile("\"code\":\"([a-z0-9_]+)\"").matcher(json);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        System.out.println("acties: " + String.join(", ", codes));
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static String number(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":([0-9]+)").matcher(json);
        return matcher.find() ? matcher.group(1) : "";
    }
}
