// Demo reports recorded with `datachannel-chat demo --json`, the graded input of exercise 08's
// demo checks (MeshCostDemoChecks.swift). Kept as Swift strings, not files, because the
// exercises/ and solutions/ folders hold only the student's .swift files, and the grading
// workspace copies only Sources/ExerciseChecks' .swift files: a constant travels with the checks.
//
// Recorded on 2026-12-07 with `datachannel-chat demo --json --agents 5` and `--agents 10` (debug build, a
// shared two-core Linux VM with other builds running beside it, everything on 127.0.0.1), printed as
// the demo printed them except for the line breaks. With 10 agents, 45 setups share two cores, which
// is why one pair takes several times longer there than with 5. The demo rounds every time in pairs,
// setup and amortised to 0.001 ms (its `Double.roundedToMicroseconds`): the demo checks' tolerances
// come from that. To record again: `datachannel-chat demo --json --agents 5 > five.json` (and 10),
// then replace the two strings; Tests/LabTests/Exercise08MeshCostTests.swift checks that the new
// reports are consistent.

/// Recorded runs of `datachannel-chat demo --json`, as it printed them (pretty-printed, one pair a line).
enum MeshCostRecordedDemos {
    /// `datachannel-chat demo --json --agents 5`: 10 pairs, setup median 107.848 ms, sequential 1059.439 ms.
    static let fiveAgents = #"""
        {
          "agent_steps":[
            {"agent":"agent-1","register_ms":1.03451,"token_ms":26.503459,"websocket_ms":18.135082},
            {"agent":"agent-2","register_ms":1.661841,"token_ms":1.746249,"websocket_ms":3.668445},
            {"agent":"agent-3","register_ms":0.57343,"token_ms":4.736028,"websocket_ms":5.416818},
            {"agent":"agent-4","register_ms":2.45981,"token_ms":3.493539,"websocket_ms":9.413968},
            {"agent":"agent-5","register_ms":4.146137,"token_ms":3.738827,"websocket_ms":10.823898}
          ],
          "agents":5,
          "amortised":{"break_even_messages":3,"http_request_ms":50,"messages":500,"per_message_overhead_ms":0.216,"setup_ms_per_pair":107.848},
          "connections":10,
          "messages":{"delivered":20,"latency_ms_median":1.089,"latency_ms_p99":1.47,"sent":20},
          "pairs":[
            {"answerer":"agent-1","offerer":"agent-2","setup_ms":81.286,"steps_ms":{"answer":20.471,"candidates":33.362,"channel_open":20.664,"dtls":12.966,"ice":13.617,"offer":10.562,"sctp":15.44}},
            {"answerer":"agent-1","offerer":"agent-3","setup_ms":108.62,"steps_ms":{"answer":21.281,"candidates":50.603,"channel_open":28.477,"dtls":14.719,"ice":8.061,"offer":31.034,"sctp":14.324}},
            {"answerer":"agent-2","offerer":"agent-3","setup_ms":106.831,"steps_ms":{"answer":24.628,"candidates":49.309,"channel_open":23.446,"dtls":20.204,"ice":17.477,"offer":23.149,"sctp":20.808}},
            {"answerer":"agent-1","offerer":"agent-4","setup_ms":127.541,"steps_ms":{"answer":22.083,"candidates":59.119,"channel_open":27.307,"dtls":22.374,"ice":4.49,"offer":35.999,"sctp":26.658}},
            {"answerer":"agent-2","offerer":"agent-4","setup_ms":112.445,"steps_ms":{"answer":25.995,"candidates":60.669,"channel_open":11.27,"dtls":25.311,"ice":9.447,"offer":26.848,"sctp":23.965}},
            {"answerer":"agent-3","offerer":"agent-4","setup_ms":107.075,"steps_ms":{"answer":31.916,"candidates":53.378,"channel_open":7.541,"dtls":24.783,"ice":10.98,"offer":23.672,"sctp":19.281}},
            {"answerer":"agent-1","offerer":"agent-5","setup_ms":126.502,"steps_ms":{"answer":37.425,"candidates":87.312,"channel_open":5.188,"dtls":25.289,"ice":22.49,"offer":44.479,"sctp":13.692}},
            {"answerer":"agent-2","offerer":"agent-5","setup_ms":114.843,"steps_ms":{"answer":36.143,"candidates":74.844,"channel_open":3.612,"dtls":20.888,"ice":19.013,"offer":44.294,"sctp":10.296}},
            {"answerer":"agent-3","offerer":"agent-5","setup_ms":100.422,"steps_ms":{"answer":36.826,"candidates":60.829,"channel_open":4.783,"dtls":15.031,"ice":16.596,"offer":33.993,"sctp":6.886}},
            {"answerer":"agent-4","offerer":"agent-5","setup_ms":73.873,"steps_ms":{"answer":29.508,"candidates":41.576,"channel_open":2.279,"dtls":11.632,"ice":12.636,"offer":25.51,"sctp":4.279}}
          ],
          "setup":{"parallel_ms":178.118,"per_pair_ms_mean":105.944,"per_pair_ms_median":107.848,"sequential_ms":1059.439},
          "steps":["token","websocket","register","offer","answer","candidates","ice","dtls","sctp","channel_open"]
        }
        """#

    /// `datachannel-chat demo --json --agents 10`: 45 pairs, setup median 565.085 ms, sequential 23766.387 ms.
    static let tenAgents = #"""
        {
          "agent_steps":[
            {"agent":"agent-1","register_ms":1.896749,"token_ms":48.052821,"websocket_ms":20.813982},
            {"agent":"agent-2","register_ms":1.493416,"token_ms":2.657249,"websocket_ms":5.285713},
            {"agent":"agent-3","register_ms":3.321329,"token_ms":6.337106,"websocket_ms":4.450966},
            {"agent":"agent-4","register_ms":3.490724,"token_ms":4.144574,"websocket_ms":7.53427},
            {"agent":"agent-5","register_ms":2.635287,"token_ms":9.383611,"websocket_ms":8.983234},
            {"agent":"agent-6","register_ms":2.3791,"token_ms":8.995815,"websocket_ms":14.299046},
            {"agent":"agent-7","register_ms":3.682121,"token_ms":4.958673,"websocket_ms":10.887668},
            {"agent":"agent-8","register_ms":1.258208,"token_ms":5.025207,"websocket_ms":16.830287},
            {"agent":"agent-9","register_ms":1.199027,"token_ms":3.046035,"websocket_ms":15.246862},
            {"agent":"agent-10","register_ms":1.455657,"token_ms":8.491756,"websocket_ms":11.188089}
          ],
          "agents":10,
          "amortised":{"break_even_messages":12,"http_request_ms":50,"messages":500,"per_message_overhead_ms":1.13,"setup_ms_per_pair":565.085},
          "connections":45,
          "messages":{"delivered":90,"latency_ms_median":3.287,"latency_ms_p99":5.354,"sent":90},
          "pairs":[
            {"answerer":"agent-1","offerer":"agent-2","setup_ms":294.684,"steps_ms":{"answer":66.142,"candidates":115.784,"channel_open":38.043,"dtls":85.942,"ice":53.139,"offer":21.967,"sctp":62.675}},
            {"answerer":"agent-1","offerer":"agent-3","setup_ms":303.627,"steps_ms":{"answer":81.589,"candidates":155.671,"channel_open":63.913,"dtls":71.454,"ice":69.057,"offer":46.14,"sctp":46.132}},
            {"answerer":"agent-2","offerer":"agent-3","setup_ms":254.972,"steps_ms":{"answer":46.986,"candidates":93.987,"channel_open":53.959,"dtls":91.774,"ice":55.751,"offer":15.223,"sctp":65.044}},
            {"answerer":"agent-1","offerer":"agent-4","setup_ms":324.696,"steps_ms":{"answer":90.732,"candidates":222.907,"channel_open":37.445,"dtls":47.777,"ice":38.446,"offer":106.612,"sctp":31.165}},
            {"answerer":"agent-2","offerer":"agent-4","setup_ms":295.184,"steps_ms":{"answer":77.539,"candidates":216.201,"channel_open":41.329,"dtls":49.126,"ice":27.164,"offer":83.993,"sctp":35.279}},
            {"answerer":"agent-3","offerer":"agent-4","setup_ms":342.845,"steps_ms":{"answer":100.741,"candidates":196.447,"channel_open":69.185,"dtls":54.95,"ice":44.841,"offer":102.105,"sctp":34.435}},
            {"answerer":"agent-1","offerer":"agent-5","setup_ms":401.272,"steps_ms":{"answer":81.784,"candidates":266.339,"channel_open":43.395,"dtls":60.777,"ice":34.755,"offer":175.407,"sctp":66.085}},
            {"answerer":"agent-2","offerer":"agent-5","setup_ms":341.295,"steps_ms":{"answer":66.121,"candidates":197.694,"channel_open":55.636,"dtls":44.572,"ice":18.619,"offer":142.397,"sctp":40.687}},
            {"answerer":"agent-3","offerer":"agent-5","setup_ms":411.979,"steps_ms":{"answer":69.526,"candidates":175.34,"channel_open":97.96,"dtls":71.74,"ice":37.99,"offer":125.698,"sctp":74.319}},
            {"answerer":"agent-4","offerer":"agent-5","setup_ms":347.068,"steps_ms":{"answer":54.732,"candidates":133.978,"channel_open":79.439,"dtls":49.028,"ice":34.781,"offer":103.155,"sctp":51.762}},
            {"answerer":"agent-1","offerer":"agent-6","setup_ms":557.239,"steps_ms":{"answer":94.062,"candidates":311.218,"channel_open":102.068,"dtls":101.432,"ice":81.597,"offer":221.492,"sctp":73.913}},
            {"answerer":"agent-2","offerer":"agent-6","setup_ms":377.565,"steps_ms":{"answer":66.013,"candidates":198.658,"channel_open":47.663,"dtls":69.242,"ice":50.687,"offer":146.034,"sctp":50.319}},
            {"answerer":"agent-3","offerer":"agent-6","setup_ms":442.679,"steps_ms":{"answer":116.031,"candidates":210.549,"channel_open":81.765,"dtls":124.737,"ice":93.119,"offer":105.861,"sctp":82.086}},
            {"answerer":"agent-4","offerer":"agent-6","setup_ms":443.486,"steps_ms":{"answer":118.952,"candidates":188.662,"channel_open":122.903,"dtls":92.165,"ice":80.569,"offer":76.483,"sctp":67.044}},
            {"answerer":"agent-5","offerer":"agent-6","setup_ms":435.961,"steps_ms":{"answer":123.562,"candidates":182.525,"channel_open":114.501,"dtls":104.842,"ice":84.62,"offer":55.469,"sctp":68.866}},
            {"answerer":"agent-1","offerer":"agent-7","setup_ms":644.182,"steps_ms":{"answer":137.271,"candidates":368.85,"channel_open":90.14,"dtls":143.512,"ice":104.483,"offer":245.305,"sctp":89.967}},
            {"answerer":"agent-2","offerer":"agent-7","setup_ms":541.505,"steps_ms":{"answer":113.843,"candidates":262.477,"channel_open":123.284,"dtls":92.034,"ice":77.74,"offer":172.949,"sctp":67.049}},
            {"answerer":"agent-3","offerer":"agent-7","setup_ms":513.643,"steps_ms":{"answer":152.465,"candidates":291.126,"channel_open":50.671,"dtls":172.23,"ice":124.737,"offer":134.538,"sctp":88.228}},
            {"answerer":"agent-4","offerer":"agent-7","setup_ms":527.523,"steps_ms":{"answer":149.527,"candidates":293.296,"channel_open":76.613,"dtls":153.803,"ice":116.893,"offer":133.814,"sctp":88.256}},
            {"answerer":"agent-5","offerer":"agent-7","setup_ms":518.549,"steps_ms":{"answer":155.117,"candidates":284.214,"channel_open":65.963,"dtls":152.333,"ice":120.912,"offer":123.492,"sctp":84.025}},
            {"answerer":"agent-6","offerer":"agent-7","setup_ms":661.087,"steps_ms":{"answer":402.25,"candidates":501.59,"channel_open":18.594,"dtls":328.706,"ice":315.805,"offer":129.958,"sctp":63.324}},
            {"answerer":"agent-1","offerer":"agent-8","setup_ms":734.204,"steps_ms":{"answer":155.916,"candidates":466.383,"channel_open":86.2,"dtls":154.815,"ice":126.378,"offer":316.694,"sctp":85.911}},
            {"answerer":"agent-2","offerer":"agent-8","setup_ms":580.037,"steps_ms":{"answer":127.831,"candidates":350.506,"channel_open":43.637,"dtls":131.945,"ice":94.595,"offer":238.613,"sctp":82.609}},
            {"answerer":"agent-3","offerer":"agent-8","setup_ms":597.855,"steps_ms":{"answer":174.145,"candidates":391.932,"channel_open":46.329,"dtls":176.344,"ice":143.251,"offer":207.733,"sctp":86.719}},
            {"answerer":"agent-4","offerer":"agent-8","setup_ms":574.54,"steps_ms":{"answer":168.043,"candidates":384.575,"channel_open":29.627,"dtls":146.587,"ice":122.23,"offer":211.045,"sctp":78.452}},
            {"answerer":"agent-5","offerer":"agent-8","setup_ms":570.64,"steps_ms":{"answer":166.838,"candidates":368.63,"channel_open":42.512,"dtls":144.874,"ice":123.78,"offer":206.99,"sctp":64.586}},
            {"answerer":"agent-6","offerer":"agent-8","setup_ms":647.351,"steps_ms":{"answer":283.424,"candidates":484.7,"channel_open":18.182,"dtls":217.523,"ice":208.084,"offer":232.549,"sctp":62.8}},
            {"answerer":"agent-7","offerer":"agent-8","setup_ms":593.618,"steps_ms":{"answer":290.118,"candidates":433.58,"channel_open":20.764,"dtls":227.462,"ice":223.165,"offer":180.868,"sctp":29.493}},
            {"answerer":"agent-1","offerer":"agent-9","setup_ms":773.505,"steps_ms":{"answer":179.228,"candidates":559.409,"channel_open":54.849,"dtls":147.462,"ice":113.053,"offer":382.815,"sctp":72.564}},
            {"answerer":"agent-2","offerer":"agent-9","setup_ms":642.697,"steps_ms":{"answer":148.571,"candidates":452.405,"channel_open":41.948,"dtls":108.247,"ice":101.888,"offer":308.886,"sctp":60.586}},
            {"answerer":"agent-3","offerer":"agent-9","setup_ms":649.986,"steps_ms":{"answer":195.81,"candidates":492.701,"channel_open":42.316,"dtls":144.565,"ice":138.677,"offer":286.15,"sctp":44.748}},
            {"answerer":"agent-4","offerer":"agent-9","setup_ms":613.085,"steps_ms":{"answer":175.405,"candidates":480.606,"channel_open":24.138,"dtls":109.299,"ice":117.738,"offer":306.497,"sctp":39.262}},
            {"answerer":"agent-5","offerer":"agent-9","setup_ms":594.977,"steps_ms":{"answer":172.664,"candidates":449.823,"channel_open":24.099,"dtls":108.513,"ice":105.086,"offer":294.69,"sctp":45.548}},
            {"answerer":"agent-6","offerer":"agent-9","setup_ms":623.251,"steps_ms":{"answer":177.647,"candidates":465.787,"channel_open":17.757,"dtls":132.866,"ice":107.674,"offer":314.86,"sctp":62.423}},
            {"answerer":"agent-7","offerer":"agent-9","setup_ms":584.099,"steps_ms":{"answer":209.786,"candidates":451.12,"channel_open":7.578,"dtls":169.331,"ice":163.289,"offer":263.504,"sctp":32.81}},
            {"answerer":"agent-8","offerer":"agent-9","setup_ms":485.537,"steps_ms":{"answer":185.246,"candidates":320.243,"channel_open":20.957,"dtls":142.207,"ice":126.787,"offer":176.565,"sctp":27.776}},
            {"answerer":"agent-1","offerer":"agent-10","setup_ms":780.344,"steps_ms":{"answer":164.531,"candidates":655.977,"channel_open":23.293,"dtls":99.851,"ice":105.099,"offer":488.178,"sctp":38.161}},
            {"answerer":"agent-2","offerer":"agent-10","setup_ms":696.066,"steps_ms":{"answer":158.696,"candidates":542.967,"channel_open":24.51,"dtls":97.214,"ice":96.163,"offer":394.607,"sctp":38.209}},
            {"answerer":"agent-3","offerer":"agent-10","setup_ms":693.322,"steps_ms":{"answer":195.772,"candidates":569.322,"channel_open":27.114,"dtls":119.362,"ice":118.455,"offer":380.945,"sctp":45.036}},
            {"answerer":"agent-4","offerer":"agent-10","setup_ms":672.069,"steps_ms":{"answer":156.045,"candidates":541.676,"channel_open":33.796,"dtls":82.302,"ice":80.91,"offer":399.586,"sctp":35.359}},
            {"answerer":"agent-5","offerer":"agent-10","setup_ms":652.06,"steps_ms":{"answer":138.01,"candidates":492.526,"channel_open":38.327,"dtls":83.622,"ice":69.357,"offer":384.189,"sctp":48.39}},
            {"answerer":"agent-6","offerer":"agent-10","setup_ms":604.975,"steps_ms":{"answer":75.125,"candidates":446.895,"channel_open":16.75,"dtls":74.999,"ice":45.415,"offer":400.94,"sctp":61.668}},
            {"answerer":"agent-7","offerer":"agent-10","setup_ms":565.085,"steps_ms":{"answer":113.557,"candidates":429.349,"channel_open":7.224,"dtls":112.183,"ice":101.166,"offer":341.107,"sctp":32.507}},
            {"answerer":"agent-8","offerer":"agent-10","setup_ms":465.11,"steps_ms":{"answer":87.3,"candidates":297.823,"channel_open":20.768,"dtls":84.753,"ice":65.193,"offer":254.287,"sctp":27.536}},
            {"answerer":"agent-9","offerer":"agent-10","setup_ms":390.935,"steps_ms":{"answer":148.913,"candidates":277.054,"channel_open":4.817,"dtls":131.973,"ice":124.985,"offer":163.451,"sctp":17.956}}
          ],
          "setup":{"parallel_ms":1109.604,"per_pair_ms_mean":528.142,"per_pair_ms_median":565.085,"sequential_ms":23766.387},
          "steps":["token","websocket","register","offer","answer","candidates","ice","dtls","sctp","channel_open"]
        }
        """#

    /// Every recorded report, with the words a failure uses to name it.
    static let reports: [(source: String, json: String)] = [
        ("the recorded `datachannel-chat demo --json --agents 5`", fiveAgents),
        ("the recorded `datachannel-chat demo --json --agents 10`", tenAgents),
    ]
}
