// The admin's basemap section in English; see basemap.zh-CN.ts.

export default {
  basemap: {
    title: 'Basemap',
    hint: 'What the wall, desks and phones draw under the territory. Offline map packages go in the maps/ folder of the server\'s data directory; a tile service must be reachable on the command hall\'s network.',
    kind: {
      label: 'Basemap',
      bundled: 'Bundled outline (offline, default)',
      pmtiles: 'Offline package (PMTiles)',
      mbtiles: 'Offline package (MBTiles)',
      xyz: 'XYZ tile service',
      wmts: 'WMTS tile service (e.g. a Tianditu node)',
    },
    file: 'Package file',
    noFiles: 'No .pmtiles or .mbtiles file in the maps/ folder.',
    fileInfo: '{format} · {size} · zoom {min}–{max}',
    url: 'Tile URL template',
    urlHint: 'XYZ uses {\'{z}\'} {\'{x}\'} {\'{y}\'}; WMTS uses {\'{TileMatrix}\'} {\'{TileRow}\'} {\'{TileCol}\'} (a Web Mercator tile matrix set, e.g. Tianditu _w).',
    crs: {
      label: 'Coordinate system',
      WGS84: 'WGS84 (GPS)',
      CGCS2000: 'CGCS2000 (Tianditu; centimetres from WGS84)',
      GCJ02: 'GCJ-02 (the territory is shifted onto it for display)',
    },
    tileType: { label: 'Tiles', raster: 'Raster images', vector: 'Vector (OpenMapTiles)' },
    attribution: 'Attribution',
    minZoom: 'Min zoom',
    maxZoom: 'Max zoom',
    preview: 'Preview',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved (version {version}); every screen switches now.',
    conflict: 'Someone else just changed the basemap; it was loaded again. Check and save again.',
    failed: 'Not saved: {message}',
    loadFailed: 'Cannot read the basemap setting: {message}',
  },
}
