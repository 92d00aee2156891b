package io.planbilling.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The operator's key: configured, or generated once per start and logged the way Spring
 * Security logs passwords.
 */
@Component
class OperatorKey {

    private static final Logger log = LoggerFactory.getLogger(OperatorKey.class);

    private final byte[] key;

    OperatorKey(SecuritySettings settings) {
        String configured = settings.operatorApiKey();
        if (StringUtils.hasText(configured)) {
            this.key = configured.getBytes(StandardCharsets.UTF_8);
        }
        else {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String generated = "op_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("""

                    Using generated operator API key: {}

                    This key is for development only; set BILLING_SECURITY_OPERATOR_API_KEY in production and \
                    on every instance that shares a database.
                    """, generated);
            this.key = generated.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Constant-time comparison, so response timing does not reveal how much of a guess
     * was right.
     */
    boolean matches(String presented) {
        return MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
    }

}
