module pion-echo

go 1.19
