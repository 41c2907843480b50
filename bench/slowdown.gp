# Slowdown against no audit, per workload, one bar per configuration.
# usage: gnuplot -e "data='slowdown.dat'; out='slowdown.png'; machine='...'" bench/slowdown.gp
# data: a header line "workload config..." then one line per workload; "?" is missing.
set terminal pngcairo size 1000,560 font "sans,10" noenhanced
set output out
set datafile missing "?"
set key autotitle columnhead
set title "Slowdown against no audit (median wall time; log scale)\n".machine
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set yrange [* < 0.5 : *]
set ylabel "slowdown (x)"
set grid ytics
set key top left
set xtics nomirror
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
ncols = 4
plot for [c=2:ncols] data using c:xtic(1) title columnheader(c), \
     for [c=2:ncols] data using ($0 + (c - 2 - (ncols - 2) / 2.0) / (ncols - 1.0 + 1)):(column(c)):(column(c) == column(c) ? sprintf("%.2f", column(c)) : "") with labels offset 0,0.7 font "sans,8" notitle
