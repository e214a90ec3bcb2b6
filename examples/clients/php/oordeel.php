<?php
// A PHP client of `meldcode-rules serve` (PHP 7.4+, no extensions beyond json):
//
//     php examples/clients/php/oordeel.php http://127.0.0.1:8000 examples/clients/acuut-eerder-gemeld.json
//
// Posts the case to POST /v1/oordeel and prints the judgement, or the Dutch problem document
// (RFC 9457) and exit code 1. MELDCODE_TOKEN, when set, is sent as the bearer token.

if ($argc !== 3) {
    fwrite(STDERR, "gebruik: php oordeel.php BASIS-URL CASUS.json\n");
    exit(2);
}
$headers = "Content-Type: application/json\r\n";
$token = getenv('MELDCODE_TOKEN');
if ($token !== false && $token !== '') {
    $headers .= "Authorization: Bearer $token\r\n";
}
$context = stream_context_create(['http' => [
    'method' => 'POST',
    'header' => $headers,
    'content' => file_get_contents($argv[2]),
    'timeout' => 30,
    'ignore_errors' => true, // read the problem document of a 4xx/5xx answer too
]]);
$body = file_get_contents($argv[1] . '/v1/oordeel', false, $context);
$status = (int) explode(' ', $http_response_header[0])[1];
$data = json_decode($body, true);
if ($status !== 200) {
    fwrite(STDERR, "fout {$data['status']}: {$data['title']}: {$data['detail']}\n");
    foreach ($data['fouten'] as $fout) {
        fwrite(STDERR, "  - $fout\n");
    }
    exit(1);
}
echo "melden: {$data['melden']}\n";
echo "besluit: {$data['besluit']}\n";
echo "stap: {$data['stap']}\n";
echo 'referentie: ' . ($data['referentie'] ?? '') . "\n";
echo 'acties: ' . implode(', ', array_map(fn ($a) => $a['code'], $data['acties'])) . "\n";
