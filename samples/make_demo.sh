#!/usr/bin/env bash
# Rebuilds samples/reelscribe-demo.mp4 from the script in samples/reelscribe-demo.txt.
#
# The video committed beside this file is what users run; this script records how it was
# made, and rebuilds it after the script text changes. It needs:
#   - espeak-ng (Debian: apt-get install espeak-ng), which speaks the script;
#   - an ffmpeg with libx264, aac and drawtext: Debian's, or the static one that the
#     imageio-ffmpeg wheel ships:
#     FFMPEG="$(python -c 'import imageio_ffmpeg as f; print(f.get_ffmpeg_exe())')"
# espeak-ng and x264 versions differ between machines, so a rebuild is not byte-identical.
#
# Usage: samples/make_demo.sh [OUTPUT.mp4]
# Settings: FFMPEG, VOICE (espeak-ng voice), WPM (words per minute), FONT (a .ttf file).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script="$here/reelscribe-demo.txt"
output="${1:-$here/reelscribe-demo.mp4}"
ffmpeg="${FFMPEG:-ffmpeg}"
# The female variant at a calm pace was the one the tiny.en model heard without a mistake;
# faster male voices turned "I love" into "I learned", which spoils the sentiment demo.
voice="${VOICE:-en-us+f3}"
wpm="${WPM:-145}"
font="${FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}"

command -v espeak-ng >/dev/null || { echo "make_demo.sh: espeak-ng is not installed" >&2; exit 1; }
[[ -f "$font" ]] || { echo "make_demo.sh: no font at $font (set FONT)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
espeak-ng -v "$voice" -s "$wpm" -f "$script" -w "$work/speech.wav"

# Quiet before the first word and after the last, as in a real recording. The length is
# set explicitly: -shortest overshoots by a couple of seconds with generated pictures.
lead_in=1.0
tail=1.5
rate="$(od -An -tu4 -j24 -N4 "$work/speech.wav" | tr -d ' ')"  # espeak-ng writes 16-bit mono
bytes="$(stat -c %s "$work/speech.wav")"
seconds="$(awk -v b="$bytes" -v r="$rate" -v l="$lead_in" -v t="$tail" \
  'BEGIN { printf "%.3f", (b - 44) / (2 * r) + l + t }')"
audio="adelay=delays=${lead_in}s:all=1,apad,aresample=44100"
picture="color=c=0x1b263b:s=1280x720:r=25[bg];testsrc2=s=480x270:r=25[inset];"
picture+="[bg][inset]overlay=x=(W-w)/2:y=250,"
picture+="drawtext=fontfile=$font:text='reelscribe':fontsize=72:fontcolor=white:x=(w-tw)/2:y=80,"
picture+="drawtext=fontfile=$font:text='sample video for the transcription pipeline':"
picture+="fontsize=32:fontcolor=0xe0e1dd:x=(w-tw)/2:y=180"

"$ffmpeg" -hide_banner -loglevel error -y \
  -filter_complex "$picture" -i "$work/speech.wav" \
  -af "$audio" \
  -c:v libx264 -preset slow -crf 30 -pix_fmt yuv420p -g 75 \
  -c:a aac -b:a 96k -ac 2 \
  -t "$seconds" -movflags +faststart "$output"

echo "wrote $output"
