extension ChatPage {
    /// The document head: metadata, the inline icon and the whole style sheet (no external resources).
    static let head = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Mesh chat · datachannel-chat</title>
    <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40'%3E%3Cg stroke='%237d95ff' stroke-width='3'%3E%3Cline x1='9' y1='11' x2='31' y2='11'/%3E%3Cline x1='9' y1='11' x2='20' y2='31'/%3E%3Cline x1='31' y1='11' x2='20' y2='31'/%3E%3C/g%3E%3Ccircle cx='9' cy='11' r='6' fill='%235b7cfa'/%3E%3Ccircle cx='31' cy='11' r='6' fill='%2348c774'/%3E%3Ccircle cx='20' cy='31' r='6' fill='%23f5b73b'/%3E%3C/svg%3E">
    <style>
    :root {
      --bg: #eef1f6; --panel: #ffffff; --ink: #1c2333; --muted: #687086; --line: #dfe4ee;
      --accent: #3558d8; --accent-soft: #e8edff; --ok: #2b9a48; --wait: #e8a317; --bad: #d93b3b; --idle: #a9b1c1;
      --radius: 14px;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
      font-size: 15px; color: var(--ink); background: var(--bg);
    }
    * { box-sizing: border-box; }
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; }
    [hidden] { display: none !important; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }

    .top { display: flex; align-items: center; justify-content: space-between; gap: 16px;
           padding: 14px 28px; background: #18203a; color: #f3f5fb; }
    .brand { display: flex; align-items: center; gap: 14px; }
    .logo { width: 44px; height: 44px; flex: none; padding: 5px; border-radius: 12px; background: rgba(255,255,255,.07); }
    .top h1 { margin: 0; font-size: 20px; font-weight: 700; letter-spacing: .2px; }
    .top p { margin: 2px 0 0; font-size: 13px; color: #aab3cc; }
    .pill { display: inline-flex; align-items: center; gap: 8px; padding: 7px 14px; border-radius: 999px;
            background: rgba(255,255,255,.09); font-size: 13px; white-space: nowrap; }
    .pill .dot { box-shadow: 0 0 0 3px rgba(255,255,255,.08); }

    .app { flex: 1; min-height: 0; display: grid; grid-template-columns: 290px 1fr; gap: 20px; padding: 20px 28px 24px; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius);
            box-shadow: 0 1px 2px rgba(20,30,60,.05), 0 6px 20px rgba(20,30,60,.05); }

    .side { display: flex; flex-direction: column; min-height: 0; padding: 18px 16px; }
    .side h2 { display: flex; align-items: center; justify-content: space-between; margin: 0 6px 12px;
               font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
    .count { min-width: 24px; padding: 2px 8px; border-radius: 999px; background: var(--accent-soft); color: var(--accent);
             font-size: 12px; text-align: center; letter-spacing: 0; }
    .peers { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
    .peer { display: flex; align-items: center; gap: 11px; padding: 9px 8px; border-radius: 10px; }
    .peer + .peer { margin-top: 2px; }
    .peer.me { background: #f5f7fc; }
    .avatar { position: relative; width: 36px; height: 36px; flex: none; border-radius: 50%; display: grid; place-items: center;
              color: #fff; font-weight: 700; font-size: 15px; text-transform: uppercase; }
    .avatar .dot { position: absolute; right: -2px; bottom: -2px; border: 2.5px solid var(--panel); width: 13px; height: 13px; }
    .who { min-width: 0; display: flex; flex-direction: column; }
    .who b { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .who small { color: var(--muted); font-size: 12.5px; }
    .tag { margin-left: 6px; padding: 1px 7px; border-radius: 999px; background: var(--accent-soft); color: var(--accent);
           font-size: 11px; font-weight: 600; vertical-align: 1px; }
    .empty { margin: 6px; color: var(--muted); font-size: 13.5px; line-height: 1.45; }
    .how { margin: 12px 6px 0; padding: 12px 14px; border-radius: 10px; background: #f5f7fc; }
    .how h3 { margin: 0 0 4px; font-size: 12.5px; font-weight: 700; color: var(--ink); }
    .how p { margin: 0; font-size: 12.5px; line-height: 1.5; color: var(--muted); }
    .legend { margin: 12px 6px 0; padding-top: 14px; border-top: 1px solid var(--line); display: grid;
              grid-template-columns: 1fr 1fr; gap: 7px 10px; font-size: 12px; color: var(--muted); }
    .legend span { display: flex; align-items: center; gap: 7px; }

    .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: var(--idle); flex: none; }
    .dot.open { background: var(--ok); }
    .dot.connecting { background: var(--wait); }
    .dot.waiting { background: var(--idle); }
    .dot.failed, .dot.closed { background: var(--bad); }
    .dot.online { background: var(--ok); }
    .dot.off { background: var(--idle); }

    .chat { display: flex; flex-direction: column; min-height: 0; overflow: hidden; }
    .chat-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px;
                 padding: 16px 22px; border-bottom: 1px solid var(--line); }
    .chat-head h2 { margin: 0; font-size: 16px; }
    .chat-head span { color: var(--muted); font-size: 13px; }
    .log { list-style: none; margin: 0; padding: 18px 22px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; }
    .msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 72%; }
    .msg.mine { align-self: flex-end; align-items: flex-end; }
    .msg .meta { display: flex; gap: 8px; align-items: baseline; margin: 0 4px 3px; font-size: 12.5px; color: var(--muted); }
    .msg .meta b { font-weight: 600; }
    .bubble { padding: 9px 14px; border-radius: 16px 16px 16px 5px; background: #f0f2f7; line-height: 1.45;
              white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg.mine .bubble { border-radius: 16px 16px 5px 16px; background: var(--accent); color: #fff; }
    .sys { align-self: center; max-width: 90%; padding: 4px 12px; border-radius: 999px; background: #f5f6fa;
           color: var(--muted); font-size: 12.5px; text-align: center; overflow-wrap: anywhere; }
    .sys.error { background: #fdecec; color: #b02a2a; }
    .sys time { margin-left: 6px; opacity: .75; }

    .composer { display: flex; gap: 10px; padding: 14px 16px; border-top: 1px solid var(--line); background: #fafbfd; }
    input { font: inherit; font-weight: 400; color: inherit; }
    .composer input, .join input { flex: 1; min-width: 0; padding: 11px 14px; border: 1px solid #cfd6e4; border-radius: 10px; background: #fff; }
    input:focus { outline: none; border-color: var(--accent); box-shadow: 0 0 0 3px rgba(53,88,216,.16); }
    button { font: inherit; font-weight: 600; padding: 11px 20px; border: 0; border-radius: 10px; background: var(--accent);
             color: #fff; cursor: pointer; }
    button:hover { background: #2b4bc2; }
    button:disabled, input:disabled { opacity: .55; cursor: default; }

    .join { margin: auto; width: min(420px, 92%); padding: 28px 30px 26px; display: flex; flex-direction: column; gap: 14px;
            border: 1px solid var(--line); border-radius: var(--radius); background: #fff; }
    .join h2 { margin: 0; font-size: 20px; }
    .join p { margin: 0; color: var(--muted); line-height: 1.5; font-size: 14px; }
    .join label { display: flex; flex-direction: column; gap: 6px; font-size: 13px; font-weight: 600; }
    .join .error { color: var(--bad); font-size: 13.5px; min-height: 1em; }
    .join-wrap { flex: 1; display: flex; padding: 24px; background: linear-gradient(180deg, #fbfcfe, #f3f5fa); }
    </style>
    </head>
    """#
}
