package io.planbilling.platform.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Who the client is: the socket's peer, unless that peer is one of
 * {@code billing.security.trusted-proxies} — then {@code X-Forwarded-For} is read from
 * the right (the hop the proxy added last) past every trusted proxy, and the first
 * address that is not one is the client. A forwarded value that is not an IP address
 * literal ends the walk at the last hop that could be trusted, so a client cannot make
 * itself anyone else by sending its own header to an untrusted peer, and no name is ever
 * looked up in DNS. IPv6 clients are keyed by their /64, the block one subscriber usually
 * holds.
 */
final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<IpAddressMatcher> trustedProxies;

    ClientAddresses(List<String> trustedProxies) {
        List<IpAddressMatcher> matchers = new ArrayList<>();
        for (String proxy : trustedProxies) {
            String block = proxy.strip();
            int slash = block.indexOf('/');
            if (literal(slash < 0 ? block : block.substring(0, slash)) == null) {
                throw new IllegalArgumentException("billing.security.trusted-proxies must list IP addresses or CIDR "
                        + "blocks such as 10.0.0.0/8 or fd00::/8, not " + proxy);
            }
            matchers.add(new IpAddressMatcher(block));
        }
        this.trustedProxies = List.copyOf(matchers);
    }

    /** The client of a request, as the key of per-client limits. */
    String of(HttpServletRequest request) {
        List<String> forwarded = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders(FORWARDED_FOR))) {
            for (String hop : header.split(",")) {
                forwarded.add(hop.strip());
            }
        }
        return resolve(request.getRemoteAddr(), forwarded);
    }

    /**
     * The client behind {@code peer} given the {@code X-Forwarded-For} hops, leftmost
     * (the origin) first.
     */
    String resolve(String peer, List<String> forwardedFor) {
        InetAddress client = literal(peer);
        if (client == null) {
            return peer;
        }
        for (int i = forwardedFor.size() - 1; i >= 0 && trusted(client); i--) {
            InetAddress hop = literal(forwardedFor.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
        }
        return key(client);
    }

    private boolean trusted(InetAddress address) {
        String text = address.getHostAddress();
        return trustedProxies.stream().anyMatch(matcher -> matcher.matches(text));
    }

    /** IPv4 as is; IPv6 as its /64 network. */
    private static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        for (int i = 8; i < 16; i++) {
            bytes[i] = 0;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        }
        catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The address of an IP literal (brackets allowed around IPv6), or null for anything
     * else — never a DNS lookup.
     */
    static @Nullable InetAddress literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IPV4.matcher(candidate).matches() && !IPV6.matcher(candidate).matches()) {
            return null;
        }
        try {
            // only literals get here: four octets in range, or text with a ':' (which
            // InetAddress never resolves)
            return InetAddress.getByName(candidate);
        }
        catch (UnknownHostException | IllegalArgumentException notAnAddress) {
            return null;
        }
    }

}
