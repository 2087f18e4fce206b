"""Sign-in links end to end (auth.sign_in_links): asked for by one browser, received through the
real SMTP server, used once, only with that browser's binding. Called by check.py."""

import re
import threading

SIGNIN = re.compile(r"(https?://\S+/signin#token=([A-Za-z0-9_-]+))")


def token_in(msg) -> str:
    m = SIGNIN.search(msg.get_content()) if msg is not None else None
    return m.group(2) if m else ""


def ask(client, address: str) -> dict:
    return client.need("POST", "/api/v1/session/link", {"email": address}, 202)


def check_sign_in_links(server, new_client, ada, zoe, inbox, checks):
    """`new_client()` is a browser of its own (a cookie jar); `zoe` is {name, email}."""
    info = new_client().need("GET", "/api/v1/instance")
    checks.equal("sign-in links: the instance offers them", info["sign_in_links"], True)

    laptop = new_client()
    asked = ask(laptop, zoe["email"])
    checks.equal("sign-in links: the answer is a binding and an expiry",
                 sorted(asked), ["binding", "expires_at"])
    msg = inbox.next_to(zoe["email"])
    checks.ok("sign-in links: the link arrived", msg is not None)
    checks.equal("sign-in links: Subject", msg and msg["Subject"], "Your OphionTT sign-in link")
    body = msg.get_content() if msg else ""
    checks.ok("sign-in links: says where to open it and for how long",
              "same browser" in body and "15" in body, body[:300])
    token = token_in(msg)

    thief = new_client()
    own = ask(thief, "nobody@example.test")["binding"]
    status, doc = thief.call("POST", "/api/v1/session/link/redeem", {"token": token, "binding": own})
    checks.equal("sign-in links: another browser is refused",
                 (status, doc and doc.get("code")), (403, "auth.link_other_browser"))
    checks.equal("sign-in links: and stays signed out", thief.call("GET", "/api/v1/me")[0], 401)

    me = laptop.need("POST", "/api/v1/session/link/redeem",
                     {"token": token, "binding": asked["binding"]})
    checks.equal("sign-in links: the asking browser signs in", me["email"], zoe["email"])
    checks.equal("sign-in links: its session works", laptop.need("GET", "/api/v1/me")["email"],
                 zoe["email"])
    status, doc = new_client().call("POST", "/api/v1/session/link/redeem",
                                    {"token": token, "binding": asked["binding"]})
    checks.ok("sign-in links: a used link is refused",
              status in (400, 409) and doc and doc.get("code") == "token.invalid", f"{status} {doc}")

    # Asked twice: only the newer link works.
    first_b = ask(new_client(), zoe["email"])["binding"]
    first = token_in(inbox.next_to(zoe["email"]))
    second_b = ask(new_client(), zoe["email"])["binding"]
    second = token_in(inbox.next_to(zoe["email"]))
    status, _ = new_client().call("POST", "/api/v1/session/link/redeem",
                                  {"token": first, "binding": first_b})
    checks.ok("sign-in links: a newer link retires the older one", status in (400, 409), status)

    # Two tabs use the newer one at the same instant: one session, not two.
    results = []

    def use():
        results.append(new_client().call("POST", "/api/v1/session/link/redeem",
                                          {"token": second, "binding": second_b})[0])

    threads = [threading.Thread(target=use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checks.equal("sign-in links: used twice at once, one wins", sorted(results)[0], 200)
    checks.ok("sign-in links: and the other is refused", sorted(results)[1] in (400, 409), results)

    unknown = ask(new_client(), "nobody@example.test")
    checks.equal("sign-in links: an unknown address gets the same answer", sorted(unknown),
                 ["binding", "expires_at"])
    checks.ok("sign-in links: and no mail", inbox.nothing_to("nobody@example.test", 1.5))

    events = ada.need("GET", "/api/v1/security-events?limit=100")["items"]
    mine = [e for e in events if e.get("user_id") == me["id"]]
    kinds = [(e["kind"], e["detail"].get("link") or e["detail"].get("method")
              or e["detail"].get("reason")) for e in mine]
    for want in [("link_issued", "sign_in"), ("link_used", "sign_in"),
                 ("login_succeeded", "link"), ("login_failed", "link")]:
        checks.ok(f"sign-in links: security log has {want[0]} ({want[1]})", want in kinds, kinds)
    other = [e for e in mine if e["kind"] == "login_failed"]
    checks.ok("sign-in links: the other browser's attempt is logged with its reason",
              any(e["detail"].get("reason") == "other_browser" for e in other), other)
    checks.ok("sign-in links: the unknown address is logged",
              any(e["kind"] == "login_failed" and e.get("email") == "nobody@example.test"
                  and e["detail"].get("method") == "link" for e in events))
    checks.ok("sign-in links: no link in the server's output",
              not any("/signin#token=" in line for line in server.log))
