import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The usual menus with the usual shortcuts, plus the app's own "Add files" and "Add folder". */
export function applicationMenu(actions: { addFiles: () => void; addFolder: () => void }): Menu {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: actions.addFiles },
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.addFolder },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
