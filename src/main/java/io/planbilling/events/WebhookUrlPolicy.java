package io.planbilling.events;

import io.planbilling.shared.ProblemException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may go: absolute {@code https} (or {@code http}) URLs without
 * credentials, and — unless {@code billing.webhooks.allow-private-networks} — never to
 * loopback, private, link-local or other internal addresses, checked at registration and
 * again before every delivery (DNS can change in between).
 */
final class WebhookUrlPolicy {

    static final int MAX_LENGTH = 2048;

    private final boolean allowPrivate;

    WebhookUrlPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    URI validate(String url) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException ex) {
            throw ProblemException.invalid("url", "must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (url.length() > MAX_LENGTH || !uri.isAbsolute() || uri.getHost() == null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ProblemException.invalid("url", "must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null || uri.getFragment() != null) {
            throw ProblemException.invalid("url", "must not carry credentials or a fragment");
        }
        if (!allowPrivate && !isPublic(uri.getHost())) {
            throw ProblemException.invalid("url", "must point at a public address");
        }
        return uri;
    }

    /** Whether every address the host resolves to is a public one. */
    boolean isPublic(String host) {
        try {
            InetAddress[] addresses = InetAddress
                .getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            for (InetAddress address : addresses) {
                if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                        || address.isSiteLocalAddress() || address.isMulticastAddress() || uniqueLocal(address)) {
                    return false;
                }
            }
            return addresses.length > 0;
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }

    private static boolean uniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }

}
