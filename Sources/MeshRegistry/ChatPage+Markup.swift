extension ChatPage {
    /// The body's markup: the header, the join form, the people list and the chat panel.
    static let markup = #"""
    <body>
    <header class="top">
      <div class="brand">
        <svg class="logo" viewBox="0 0 40 40" aria-hidden="true">
          <g stroke="#7d95ff" stroke-width="2.2" opacity=".9">
            <line x1="9" y1="11" x2="31" y2="11"/><line x1="9" y1="11" x2="20" y2="31"/><line x1="31" y1="11" x2="20" y2="31"/>
          </g>
          <circle cx="9" cy="11" r="5.5" fill="#5b7cfa"/><circle cx="31" cy="11" r="5.5" fill="#48c774"/><circle cx="20" cy="31" r="5.5" fill="#f5b73b"/>
        </svg>
        <div>
          <h1>Mesh chat</h1>
          <p>Browser and agents on one mesh of WebRTC DataChannels · signaling by <code>datachannel-chat serve</code></p>
        </div>
      </div>
      <div class="pill" id="status"><span class="dot off" id="status-dot"></span><span id="status-text">not joined</span></div>
    </header>

    <main class="app">
      <aside class="side card" aria-label="People in the mesh">
        <h2>People online <span class="count" id="count">0</span></h2>
        <ul class="peers" id="peers"></ul>
        <div class="how">
          <h3>How it works</h3>
          <p>The registry only introduces peers: offers, answers and ICE candidates over a WebSocket.
             Every message then travels on a DataChannel straight from peer to peer.</p>
        </div>
        <div class="legend" aria-label="What the dots mean">
          <span><i class="dot open"></i>channel open</span>
          <span><i class="dot connecting"></i>connecting</span>
          <span><i class="dot waiting"></i>waiting for offer</span>
          <span><i class="dot failed"></i>failed or closed</span>
        </div>
      </aside>

      <section class="chat card" aria-label="Chat">
        <div class="chat-head"><h2>Everyone</h2><span id="chat-info">a line you send goes to every open channel</span></div>
        <div class="join-wrap" id="join-wrap">
          <form class="join" id="join" autocomplete="off">
            <h2>Join the mesh</h2>
            <p>Pick a name. Your browser then opens a DataChannel of its own to every peer online, agents and people alike.</p>
            <label>Name <input id="name" name="name" maxlength="64" placeholder="e.g. ada" spellcheck="false" autofocus></label>
            <label id="key-row" hidden>API key <input id="key" name="key" type="password" placeholder="key from the registry's key file"></label>
            <button id="join-button" type="submit">Join</button>
            <div class="error" id="join-error" role="alert"></div>
          </form>
        </div>
        <ol class="log" id="log" aria-live="polite" hidden></ol>
        <form class="composer" id="composer" autocomplete="off" hidden>
          <input id="text" name="text" maxlength="4000" placeholder="Message everyone…" aria-label="Message">
          <button id="send" type="submit">Send</button>
        </form>
      </section>
    </main>

    """#
}
