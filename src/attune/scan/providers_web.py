"""Provider formats, part three: web APIs, commerce plug-ins, search, captcha and media services (issue 12).
Each entry is written from the provider's documentation of its credential format.
"""

from __future__ import annotations

from attune.scan.provider_spec import AN, HEX, LO, UUID, W, named, run, token

# fmt: off
TABLE = (
    named("azure-sas-token", "Azure shared access signature", ("sig=",), run(AN + "%", 40, 70)),
    named("onelogin-client-secret", "OneLogin API client secret", ("onelogin",), run(HEX, 64)),
    named("keycloak-client-secret", "Keycloak client secret", ("keycloak",), run(AN, 32)),
    named("duo-secret-key", "Duo secret key", ("duo_skey", "duo_secret", "duo_sk"), run(AN, 40)),
    named("jumpcloud-api-key", "JumpCloud API key", ("jumpcloud",), run(HEX, 40)),
    named("meilisearch-key", "Meilisearch API key", ("meili",), run(AN + "_-", 32, 64)),
    named("typesense-api-key", "Typesense API key", ("typesense",), run(AN, 32)),
    named("qdrant-api-key", "Qdrant API key", ("qdrant",), run(W, 32, 64)),
    named("stability-api-key", "Stability AI API key", ("stability",), "sk-", run(AN, 48)),
    token("deepl-api-key", "DeepL API key (free plan)", *UUID, ":fx", keywords=(":fx",)),
    named("deepl-api-key-pro", "DeepL API key", ("deepl",), *UUID),
    named("openweather-api-key", "OpenWeather API key", ("openweather", "owm_api"), run(HEX, 32)),
    named("recaptcha-secret", "Google reCAPTCHA secret key", ("recaptcha",), "6L", run(W, 38)),
    named("hcaptcha-secret", "hCaptcha secret", ("hcaptcha",), "0x", run(HEX, 40)),
    named("bitly-token", "Bitly access token", ("bitly",), run(HEX, 40)),
    named("imgur-client-secret", "Imgur client secret", ("imgur",), run(HEX, 40)),
    named("spotify-client-secret", "Spotify client secret", ("spotify",), run(HEX, 32)),
    named("vimeo-token", "Vimeo access token", ("vimeo",), run(HEX, 32)),
    token("zoho-token", "Zoho OAuth token", "1000.", run(HEX, 32), ".", run(HEX, 32)),
    token("woocommerce-consumer-secret", "WooCommerce consumer secret", "cs_", run(HEX, 40)),
    token("woocommerce-consumer-key", "WooCommerce consumer key", "ck_", run(HEX, 40)),
    token("paddle-api-key", "Paddle API key", ("pdl_live_", "pdl_sdbx_"), "apikey_", run(LO, 26), "_",
          run(AN, 22), "_", run(AN, 3)),
    named("binance-api-secret", "Binance API secret", ("binance",), run(AN, 64)),
    token("mailersend-api-key", "MailerSend API token", "mlsn.", run(HEX, 64)),
)
# fmt: on
