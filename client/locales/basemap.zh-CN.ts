// The admin's basemap section (底图设置); merged into the app's i18n when the section loads.

export default {
  basemap: {
    title: '底图设置',
    hint: '大屏、工作台和手机在辖区图层下绘制的底图。离线地图包放在服务器数据目录的 maps/ 文件夹中；瓦片服务须在指挥中心网络内可达。',
    kind: {
      label: '底图类型',
      bundled: '内置轮廓（离线，默认）',
      pmtiles: '离线地图包 PMTiles',
      mbtiles: '离线地图包 MBTiles',
      xyz: 'XYZ 瓦片服务',
      wmts: 'WMTS 瓦片服务（如天地图节点）',
    },
    file: '地图包文件',
    noFiles: 'maps/ 文件夹中没有 .pmtiles 或 .mbtiles 文件。',
    fileInfo: '{format} · {size} · 级别 {min}–{max}',
    url: '瓦片地址模板',
    urlHint: 'XYZ 用 {\'{z}\'} {\'{x}\'} {\'{y}\'}；WMTS 用 {\'{TileMatrix}\'} {\'{TileRow}\'} {\'{TileCol}\'}（Web 墨卡托瓦片矩阵集，如天地图 _w）。',
    crs: {
      label: '坐标系',
      WGS84: 'WGS84（GPS）',
      CGCS2000: 'CGCS2000（天地图，与 WGS84 相差厘米级）',
      GCJ02: 'GCJ-02（国测局加密，辖区图层随之偏移显示）',
    },
    tileType: { label: '瓦片类型', raster: '栅格图片', vector: '矢量（OpenMapTiles）' },
    attribution: '版权说明',
    minZoom: '最小级别',
    maxZoom: '最大级别',
    preview: '预览',
    save: '保存',
    saving: '正在保存…',
    saved: '已保存（版本 {version}），所有屏幕即时切换。',
    conflict: '其他人刚刚修改了底图设置，已重新载入，请再次确认后保存。',
    failed: '保存失败：{message}',
    loadFailed: '无法读取底图设置：{message}',
  },
}
