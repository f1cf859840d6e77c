// The status pages' one stylesheet, inline: no external asset, no script. Tables become a card
// per row on a narrow screen; times never break; long links and quotes wrap inside the screen.

export const CSS = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1f2328;background:#fff;overflow-wrap:break-word}
a{color:#0550ae;overflow-wrap:break-word}
.url{overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:.3rem 0}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
header{border-bottom:1px solid #d0d7de;padding-bottom:.5rem}header .site{font-weight:700;font-size:1.4rem;color:#1f2328;text-decoration:none}
footer{border-top:1px solid #d0d7de;margin-top:2.5rem;padding-top:.5rem;font-size:.9rem}
nav a{margin-right:.8rem;display:inline-block}
p{margin:.4rem 0}
time{white-space:nowrap}
.muted,caption{color:#57606a}
table{border-collapse:collapse;width:100%}
caption{text-align:left;padding:.5rem 0}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
thead th{font-size:.85rem;color:#57606a;font-weight:600}
.badge{display:inline-block;padding:.05rem .6rem;border-radius:1rem;color:#fff;font-weight:600;font-size:.9rem;white-space:nowrap}
.signed{background:#1a7f37}.negotiating{background:#9a6700}.holdout{background:#cf222e}.declined{background:#82071e}.withdrawn{background:#8250df}.unknown{background:#57606a}.pressed{background:#bc4c00}
.tally{font-size:1.15rem}
blockquote{margin:.3rem 0;padding:0 0 0 .7rem;border-left:3px solid #d0d7de;color:#424a53}
.how{font-size:.95rem}
.cite{font-size:.9rem;color:#57606a}
.fiction,.deleted{font-size:.8rem;color:#82071e;font-weight:600}
.reported{font-size:.9rem;color:#9a6700}
ol.events,ol.history,ul.sources{padding-left:1.2rem}
ol.events li,ol.history>li{margin-bottom:.8rem}
ul.sources li{margin-bottom:.5rem}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:.5rem 0}
dl.legend dt{margin:0}dl.legend dd{margin:0}
.box{border:1px solid #d0d7de;border-radius:.5rem;padding:.6rem .9rem;margin:.8rem 0}
@media (max-width:44rem){
body{padding:.75rem}
table.cards thead{display:none}
table.cards caption{display:block;width:100%}
table.cards,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block;width:100%}
table.cards tr{border:1px solid #d0d7de;border-radius:.5rem;margin:0 0 .8rem;padding:.4rem .7rem}
table.cards th,table.cards td{border:0;padding:.2rem 0}
table.cards th{font-size:1.1rem}
table.cards td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;color:#57606a;font-weight:600}
dl.legend{grid-template-columns:1fr}dl.legend dd{margin-bottom:.4rem}
ol.events,ol.history,ul.sources{padding-left:1rem}
}`;
