package gotourl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
            "127.1.2.3", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1",
            "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255",
            "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::10.0.0.1",
            "64:ff9b::7f00:1", "64:ff9b:1::1", "100::1", "2001:db8::1", "2001::1", "2001:10::1", "2002:7f00:1::1",
            "2002:c0a8:101::1", "3fff::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1"})
    void refusesEveryNonPublicAddress(String address) throws Exception {
        assertThat(AddressPolicy.PUBLIC_ONLY.refusal(InetAddress.getByName(address))).as(address).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.215.14", "100.63.255.255", "100.128.0.0", "172.15.255.255",
            "172.32.0.0", "192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255",
            "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(AddressPolicy.PUBLIC_ONLY.refusal(InetAddress.getByName(address))).as(address).isNull();
    }

    @Test
    void ipv4MappedIpv6KeptAsIpv6IsJudgedByItsIpv4Address() throws Exception {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an Inet4Address; a resolver may not.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 127;
        mapped[15] = 1;
        InetAddress address = Inet6Address.getByAddress(null, mapped, null);
        assertThat(address).isInstanceOf(Inet6Address.class);
        assertThat(AddressPolicy.PUBLIC_ONLY.refusal(address)).contains("IPv4-mapped").contains("loopback");
    }

    @Test
    void fetchPrivateAllowsPrivateButNeverUnspecifiedOrMulticast() throws Exception {
        for (String allowed : new String[] {"127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.1.1", "fd00::1", "::1", "fe80::1"}) {
            assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(InetAddress.getByName(allowed))).as(allowed).isNull();
        }
        for (String refused : new String[] {"0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "192.0.2.1"}) {
            assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(InetAddress.getByName(refused))).as(refused).isNotNull();
        }
    }

    /**
     * A checker of an intranet's links has no page to read at a cloud's instance metadata service,
     * and a public /add must not be able to aim goto's fetches there (it hands out credentials):
     * refused under -fetch-private too, in every form of the address.
     */
    @Test
    void cloudMetadataAddressesAreRefusedEvenWithFetchPrivate() throws Exception {
        for (String metadata : new String[] {"169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200",
                "::ffff:169.254.169.254", "64:ff9b::169.254.169.254"}) {
            assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(InetAddress.getByName(metadata))).as(metadata).contains("metadata");
            assertThat(AddressPolicy.PUBLIC_ONLY.refusal(InetAddress.getByName(metadata))).as(metadata).contains("metadata");
        }
        assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(InetAddress.getByName("169.254.169.253"))).isNull();
        assertThat(AddressPolicy.ALLOW_PRIVATE.refusal(InetAddress.getByName("100.100.100.201"))).isNull();
    }

    @Test
    void refusalNamesTheRange() throws Exception {
        assertThat(AddressPolicy.PUBLIC_ONLY.refusal(InetAddress.getByName("10.0.0.7"))).isEqualTo("private (RFC 1918, 10.0.0.0/8)");
        assertThat(AddressPolicy.PUBLIC_ONLY.refusal(InetAddress.getByName("169.254.1.1"))).contains("link-local");
    }
}
